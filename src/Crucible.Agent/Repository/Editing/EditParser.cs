namespace Crucible.Agent.Repository.Editing;

/// <summary>
/// Reads edits out of a model answer, leniently: Aider-style SEARCH/REPLACE blocks (5–9 marker characters, the file
/// path on one of the three lines before the block, inside or outside a code fence, else the previous block's file)
/// and unified diffs (fenced or not; hunk line numbers ignored; <c>/dev/null</c> for created and deleted files).
/// Reasoning in <c>&lt;think&gt;</c> blocks is ignored.
/// </summary>
public static class EditParser
{
    public static ParsedEdits Parse(string answer)
    {
        var text = StripThinking(answer).Replace("\r\n", "\n");
        var lines = text.Split('\n');
        var edits = new List<FileEdit>();
        var problems = new List<string>();
        string? lastPath = null;
        var block = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (IsMarker(lines[i], '<', "SEARCH"))
            {
                block++;
                var path = PathBefore(lines, i) ?? lastPath;
                var (search, replace, end, problem) = ReadBlock(lines, i + 1);
                if (problem is not null) problems.Add($"SEARCH/REPLACE block {block}: {problem}");
                else if (path is null) problems.Add($"SEARCH/REPLACE block {block} names no file: put the file path on the line before the block.");
                else edits.Add(new FileEdit { Path = path, Search = search, Replace = replace, Origin = $"SEARCH/REPLACE block {block}" });
                lastPath = path ?? lastPath;
                i = end;
            }
            else if (lines[i].StartsWith("--- ", StringComparison.Ordinal) && i + 1 < lines.Length && lines[i + 1].StartsWith("+++ ", StringComparison.Ordinal))
            {
                i = ReadDiff(lines, i, edits, problems);
            }
        }
        return new ParsedEdits(edits, problems);
    }

    private static string StripThinking(string answer)
    {
        var end = answer.LastIndexOf("</think>", StringComparison.Ordinal);
        return end >= 0 ? answer[(end + "</think>".Length)..] : answer;
    }

    private static bool IsMarker(string line, char c, string? word)
    {
        var t = line.Trim();
        var n = 0;
        while (n < t.Length && t[n] == c) n++;
        if (n is < 5 or > 9) return false;
        var rest = t[n..].Trim();
        return word is null ? rest.Length == 0 : rest.Equals(word, StringComparison.OrdinalIgnoreCase);
    }

    private static (string Search, string Replace, int End, string? Problem) ReadBlock(string[] lines, int start)
    {
        var divider = -1;
        for (var j = start; j < lines.Length; j++)
        {
            if (divider < 0 && IsMarker(lines[j], '=', null)) divider = j;
            else if (IsMarker(lines[j], '>', "REPLACE"))
            {
                if (divider < 0) return ("", "", j, "has no ======= line between SEARCH and REPLACE.");
                return (Join(lines, start, divider), Join(lines, divider + 1, j), j, null);
            }
            else if (IsMarker(lines[j], '<', "SEARCH"))
                return ("", "", j - 1, "ends without >>>>>>> REPLACE before the next block.");
        }
        return ("", "", lines.Length - 1, "is cut off: no >>>>>>> REPLACE line (was the answer truncated?).");
    }

    private static string Join(string[] lines, int from, int to) => string.Join('\n', lines[from..to]);

    private static string? PathBefore(string[] lines, int marker)
    {
        var seen = 0;
        for (var j = marker - 1; j >= 0 && seen < 3; j--)
        {
            var t = lines[j].Trim();
            if (t.Length == 0 || t.StartsWith("```", StringComparison.Ordinal) && t.Length <= 14 && !t.Contains('/') && !t.Contains('.')) continue;
            seen++;
            if (CleanPath(t) is { } path) return path;
            if (t.StartsWith("```", StringComparison.Ordinal)) continue;
            break;
        }
        return null;
    }

    /// <summary>The file path written on a line, or null if the line is not one: <c>**src/a.py**</c>, <c>File: a.py</c>, <c>```python a.py</c>.</summary>
    internal static string? CleanPath(string line)
    {
        var t = line.Trim();
        if (t.StartsWith("```", StringComparison.Ordinal))
        {
            var parts = t[3..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            t = parts.Length > 0 ? parts[^1] : "";
        }
        foreach (var prefix in new[] { "File:", "file:", "Path:", "path:", "Filename:", "filename:", "#", "//" })
            if (t.StartsWith(prefix, StringComparison.Ordinal)) t = t[prefix.Length..].Trim();
        t = t.Trim('*', '`', '"', '\'', ':', ' ');
        if (t.Length == 0 || t.Contains(' ') || t.Contains('\t')) return null;
        if (!t.Contains('.') && !t.Contains('/')) return null;
        if (t.StartsWith("a/", StringComparison.Ordinal) || t.StartsWith("b/", StringComparison.Ordinal)) t = t[2..];
        return t;
    }

    private static int ReadDiff(string[] lines, int start, List<FileEdit> edits, List<string> problems)
    {
        var oldPath = DiffPath(lines[start][4..]);
        var newPath = DiffPath(lines[start + 1][4..]);
        var path = newPath ?? oldPath;
        var i = start + 2;
        var hunk = 0;
        if (path is null)
        {
            problems.Add("a diff names no file on its ---/+++ lines.");
            return i - 1;
        }
        if (oldPath is null && !lines.Skip(i).Any(l => l.StartsWith("@@", StringComparison.Ordinal)))
            return i - 1;
        while (i < lines.Length && lines[i].StartsWith("@@", StringComparison.Ordinal))
        {
            hunk++;
            var search = new List<string>();
            var replace = new List<string>();
            i++;
            for (; i < lines.Length; i++)
            {
                var l = lines[i];
                if (l.StartsWith("@@", StringComparison.Ordinal) || l.StartsWith("--- ", StringComparison.Ordinal) && i + 1 < lines.Length && lines[i + 1].StartsWith("+++ ", StringComparison.Ordinal)
                    || l.StartsWith("diff --git", StringComparison.Ordinal) || l.StartsWith("```", StringComparison.Ordinal)) break;
                if (l.StartsWith('\\')) continue; // "\ No newline at end of file"
                if (l.StartsWith('+')) replace.Add(l[1..]);
                else if (l.StartsWith('-')) search.Add(l[1..]);
                else
                {
                    // Context; models often drop the leading space of a blank context line.
                    var ctx = l.StartsWith(' ') ? l[1..] : l;
                    search.Add(ctx);
                    replace.Add(ctx);
                }
            }
            // Trailing blank lines before the next file header are separators, not context.
            while (search.Count > 0 && replace.Count > 0 && search[^1].Length == 0 && replace[^1].Length == 0) { search.RemoveAt(search.Count - 1); replace.RemoveAt(replace.Count - 1); }
            edits.Add(new FileEdit
            {
                Path = path, Search = oldPath is null ? "" : string.Join('\n', search), Replace = string.Join('\n', replace),
                DeletesFile = newPath is null, Origin = $"diff hunk {hunk} of {path}",
            });
        }
        if (hunk == 0) problems.Add($"the diff of {path} has no @@ hunk.");
        return i - 1;
    }

    private static string? DiffPath(string header)
    {
        var t = header.Split('\t')[0].Trim();
        if (t == "/dev/null") return null;
        return CleanPath(t);
    }
}
