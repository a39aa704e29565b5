using System.Text;

namespace Crucible.Repos.Tests;

/// <summary>Builds small git-style diffs for tests: new files, whole-file replacements, symlinks.</summary>
internal static class Diffs
{
    public static string NewFile(string path, string content) =>
        $"diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n+++ b/{path}\n{Hunk([], Lines(content))}";

    public static string Replace(string path, string before, string after) =>
        $"diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n{Hunk(Lines(before), Lines(after))}";

    public static string Symlink(string path, string target) =>
        $"diff --git a/{path} b/{path}\nnew file mode 120000\n--- /dev/null\n+++ b/{path}\n@@ -0,0 +1 @@\n+{target}\n\\ No newline at end of file\n";

    private static string[] Lines(string s) => s.Length == 0 ? [] : s.TrimEnd('\n').Split('\n');

    private static string Hunk(string[] before, string[] after)
    {
        var sb = new StringBuilder();
        sb.Append($"@@ -{(before.Length == 0 ? 0 : 1)},{before.Length} +{(after.Length == 0 ? 0 : 1)},{after.Length} @@\n");
        foreach (var l in before) sb.Append('-').Append(l).Append('\n');
        foreach (var l in after) sb.Append('+').Append(l).Append('\n');
        return sb.ToString();
    }
}
