using System.Text;
using System.Text.RegularExpressions;

namespace Crucible.Repos.Patching;

/// <summary>
/// Splits a unified diff (git's extended form or plain <c>diff -u</c>) into per-file sections. Hunk line counts are
/// followed, so a removed line that itself starts with <c>-- </c> is not mistaken for a new file header.
/// </summary>
public static partial class UnifiedDiff
{
    [GeneratedRegex(@"^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@")]
    private static partial Regex HunkHeader();

    public static IReadOnlyList<PatchedFile> Parse(string? patch)
    {
        var files = new List<PatchedFile>();
        if (string.IsNullOrWhiteSpace(patch)) return files;
        var lines = patch.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var i = 0;
        while (i < lines.Length)
        {
            if (lines[i].StartsWith("diff --git ", StringComparison.Ordinal)) i = ParseGitSection(lines, i, files);
            else if (IsPlainHeader(lines, i)) i = ParseSection(lines, i, null, null, new StringBuilder(), files, gitHeader: false);
            else i++;
        }
        return files;
    }

    /// <summary>The patch without the sections for which <paramref name="drop"/> is true (each section kept verbatim).</summary>
    public static string Without(string? patch, Func<PatchedFile, bool> drop)
    {
        var sb = new StringBuilder();
        foreach (var f in Parse(patch).Where(f => !drop(f))) sb.Append(f.Text);
        return sb.ToString();
    }

    private static bool IsPlainHeader(string[] lines, int i) =>
        lines[i].StartsWith("--- ", StringComparison.Ordinal) && i + 1 < lines.Length && lines[i + 1].StartsWith("+++ ", StringComparison.Ordinal);

    private static int ParseGitSection(string[] lines, int start, List<PatchedFile> files)
    {
        var text = new StringBuilder();
        text.Append(lines[start]).Append('\n');
        var (a, b) = SplitGitHeader(lines[start]["diff --git ".Length..]);
        string? oldPath = a, newPath = b;
        bool symlink = false, binary = false;
        var i = start + 1;
        for (; i < lines.Length; i++)
        {
            var l = lines[i];
            if (l.StartsWith("diff --git ", StringComparison.Ordinal) || l.StartsWith("@@", StringComparison.Ordinal) || IsPlainHeader(lines, i)) break;
            text.Append(l).Append('\n');
            if (l.StartsWith("new file mode", StringComparison.Ordinal)) { oldPath = null; symlink |= l.EndsWith("120000", StringComparison.Ordinal); }
            else if (l.StartsWith("deleted file mode", StringComparison.Ordinal)) newPath = null;
            else if (l.StartsWith("rename from ", StringComparison.Ordinal) || l.StartsWith("copy from ", StringComparison.Ordinal)) oldPath = Unquote(l[(l.IndexOf("from ", StringComparison.Ordinal) + 5)..]);
            else if (l.StartsWith("rename to ", StringComparison.Ordinal) || l.StartsWith("copy to ", StringComparison.Ordinal)) newPath = Unquote(l[(l.IndexOf("to ", StringComparison.Ordinal) + 3)..]);
            else if ((l.StartsWith("new mode", StringComparison.Ordinal) || l.StartsWith("index ", StringComparison.Ordinal)) && l.EndsWith("120000", StringComparison.Ordinal)) symlink = true;
            else if (l.StartsWith("GIT binary patch", StringComparison.Ordinal) || l.StartsWith("Binary files ", StringComparison.Ordinal)) binary = true;
        }
        if (i < lines.Length && IsPlainHeader(lines, i))
            return ParseSection(lines, i, oldPath, newPath, text, files, gitHeader: true, symlink, binary);
        if (i < lines.Length && lines[i].StartsWith("@@", StringComparison.Ordinal))
            return ParseSection(lines, i, oldPath, newPath, text, files, gitHeader: true, symlink, binary, hunksOnly: true);
        files.Add(new PatchedFile(oldPath, newPath, text.ToString()) { IsSymlink = symlink, IsBinary = binary });
        return i;
    }

    private static int ParseSection(string[] lines, int i, string? oldPath, string? newPath, StringBuilder text, List<PatchedFile> files,
        bool gitHeader, bool symlink = false, bool binary = false, bool hunksOnly = false)
    {
        if (!hunksOnly)
        {
            var minus = HeaderPath(lines[i][4..]);
            var plus = HeaderPath(lines[i + 1][4..]);
            if (!gitHeader) { oldPath = minus; newPath = plus; }
            else
            {
                if (minus is null) oldPath = null;
                if (plus is null) newPath = null;
            }
            text.Append(lines[i]).Append('\n').Append(lines[i + 1]).Append('\n');
            i += 2;
        }
        while (i < lines.Length)
        {
            var m = HunkHeader().Match(lines[i]);
            if (!m.Success) break;
            text.Append(lines[i]).Append('\n');
            var oldLeft = m.Groups[1].Success ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 1;
            var newLeft = m.Groups[2].Success ? int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : 1;
            i++;
            while (i < lines.Length && (oldLeft > 0 || newLeft > 0 || lines[i].StartsWith('\\')))
            {
                var l = lines[i];
                if (l.StartsWith('-')) oldLeft--;
                else if (l.StartsWith('+')) newLeft--;
                else if (l.StartsWith('\\')) { }
                else { oldLeft--; newLeft--; }
                text.Append(l).Append('\n');
                i++;
            }
        }
        files.Add(new PatchedFile(oldPath, newPath, text.ToString()) { IsSymlink = symlink, IsBinary = binary });
        return i;
    }

    /// <summary>Path from a <c>---</c>/<c>+++</c> line: no timestamp, no a/ or b/ prefix, null for /dev/null.</summary>
    private static string? HeaderPath(string raw)
    {
        var p = raw.Contains('\t', StringComparison.Ordinal) ? raw[..raw.IndexOf('\t', StringComparison.Ordinal)] : raw;
        p = Unquote(p.Trim());
        if (p == "/dev/null") return null;
        return StripPrefix(p);
    }

    private static string StripPrefix(string p) =>
        p.Length > 2 && (p.StartsWith("a/", StringComparison.Ordinal) || p.StartsWith("b/", StringComparison.Ordinal)) ? p[2..] : p;

    private static (string?, string?) SplitGitHeader(string rest)
    {
        rest = rest.Trim();
        if (rest.StartsWith('"'))
        {
            var end = rest.IndexOf("\" ", 1, StringComparison.Ordinal);
            if (end > 0) return (StripPrefix(Unquote(rest[..(end + 1)])), StripPrefix(Unquote(rest[(end + 2)..])));
        }
        // "a/x b/x": both halves are equal for anything but a rename, whose real names come from later lines.
        var mid = rest.IndexOf(" b/", StringComparison.Ordinal);
        if (mid > 0) return (StripPrefix(rest[..mid]), StripPrefix(rest[(mid + 1)..]));
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? (StripPrefix(rest[..space]), StripPrefix(rest[(space + 1)..])) : (rest, rest);
    }

    private static string Unquote(string p)
    {
        if (p.Length < 2 || p[0] != '"' || p[^1] != '"') return p;
        var body = p[1..^1];
        var bytes = new List<byte>();
        for (var k = 0; k < body.Length; k++)
        {
            if (body[k] != '\\' || k + 1 >= body.Length) { bytes.AddRange(Encoding.UTF8.GetBytes(body[k].ToString())); continue; }
            var c = body[++k];
            if (c is >= '0' and <= '7' && k + 2 < body.Length)
            {
                bytes.Add(Convert.ToByte(body.Substring(k, 3), 8));
                k += 2;
            }
            else bytes.Add((byte)(c switch { 'n' => '\n', 't' => '\t', _ => c }));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
