using Crucible.Agent.Repository.Editing;

namespace Crucible.Agent.Repository.Strategies.ToolLoop;

/// <summary>Reads the one action of a text-mode answer: SEARCH/REPLACE blocks (or a diff) are an edit; otherwise the first command line.</summary>
public static class TextActionParser
{
    private static readonly string[] Commands = ["open", "scroll_down", "scroll_up", "search", "find_file", "run_tests", "submit"];

    public static ToolAction? Parse(string answer)
    {
        var end = answer.LastIndexOf("</think>", StringComparison.Ordinal);
        var text = (end >= 0 ? answer[(end + 8)..] : answer).Replace("\r\n", "\n");
        if (!EditParser.Parse(text).IsEmpty) return new ToolAction("edit") { EditText = text };
        // Commands inside a fence win over ones mentioned in prose.
        var lines = text.Split('\n');
        var fenced = new List<string>();
        var inFence = false;
        foreach (var l in lines)
        {
            if (l.TrimStart().StartsWith("```", StringComparison.Ordinal)) { inFence = !inFence; continue; }
            if (inFence) fenced.Add(l);
        }
        return fenced.Concat(lines).Select(ParseLine).FirstOrDefault(a => a is not null);
    }

    private static ToolAction? ParseLine(string line)
    {
        var t = line.Trim().TrimStart('$', '>', ' ').Trim('`');
        var space = t.IndexOf(' ');
        var word = (space < 0 ? t : t[..space]).ToLowerInvariant();
        if (!Commands.Contains(word)) return null;
        var rest = space < 0 ? "" : t[(space + 1)..].Trim();
        switch (word)
        {
            case "open":
                if (rest.Length == 0) return null;
                var parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return new ToolAction("open") { Path = parts[0].Trim('"', '\''), Line = parts.Length > 1 && int.TryParse(parts[1], out var n) ? n : null };
            case "search":
                if (rest.Length == 0) return null;
                var (term, path) = SplitTerm(rest);
                return new ToolAction("search") { Term = term, Path = path };
            case "find_file":
                return rest.Length == 0 ? null : new ToolAction("find_file") { Term = rest.Trim('"', '\'') };
            default:
                return rest.Length == 0 || word == "submit" ? new ToolAction(word) : null;
        }
    }

    /// <summary><c>"a b" path</c> → (a b, path); <c>name path</c> → (name, path); <c>name</c> → (name, null).</summary>
    private static (string Term, string? Path) SplitTerm(string rest)
    {
        if (rest[0] is '"' or '\'')
        {
            var close = rest.IndexOf(rest[0], 1);
            if (close > 0) return (rest[1..close], rest[(close + 1)..].Trim() is { Length: > 0 } p ? p : null);
        }
        var space = rest.LastIndexOf(' ');
        if (space > 0 && (rest[(space + 1)..].Contains('/') || rest[(space + 1)..].Contains(".py", StringComparison.Ordinal)))
            return (rest[..space].Trim(), rest[(space + 1)..]);
        return (rest, null);
    }
}
