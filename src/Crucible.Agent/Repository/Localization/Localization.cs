using System.Text;
using Crucible.Agent.Repository.Map;

namespace Crucible.Agent.Repository.Localization;

/// <summary>Where the fix probably goes: files (at most five), then classes and functions in them, then line ranges.</summary>
public sealed record Localization
{
    public IReadOnlyList<string> Files { get; init; } = [];
    public IReadOnlyList<LocatedSymbol> Symbols { get; init; } = [];
    public IReadOnlyList<LineRange> Ranges { get; init; } = [];

    /// <summary>
    /// The code the edit prompt shows: per file, the localised line ranges widened by <paramref name="context"/> lines
    /// (else the localised symbols, else the whole file up to <paramref name="maxLines"/>), verbatim so SEARCH text can be
    /// copied from it, with <c>...</c> between pieces.
    /// </summary>
    public string RenderCode(RepositoryMap map, Func<string, string?> readText, int context = 12, int maxLines = 400)
    {
        var sb = new StringBuilder();
        foreach (var path in Files)
        {
            var text = readText(path);
            if (text is null) continue;
            var lines = text.Replace("\r\n", "\n").Split('\n');
            var spans = Ranges.Where(r => r.Path == path).Select(r => (r.From - context, r.To + context))
                .Concat(Symbols.Where(s => s.Path == path).Select(s => (s.Line - 2, s.EndLine + 2))).ToList();
            if (spans.Count == 0) spans.Add((1, Math.Min(lines.Length, maxLines)));
            var merged = Merge(spans.Select(s => (Math.Max(1, s.Item1), Math.Min(lines.Length, s.Item2))));
            sb.Append("### ").Append(path).Append("\n```\n");
            var shown = 0;
            var at = 1;
            foreach (var (from, to) in merged)
            {
                if (shown >= maxLines) break;
                if (from > at) sb.Append("...\n");
                for (var l = from; l <= to && shown < maxLines; l++, shown++) sb.Append(lines[l - 1]).Append('\n');
                at = to + 1;
            }
            if (at <= lines.Length && lines.Skip(at - 1).Any(l => l.Trim().Length > 0)) sb.Append("...\n");
            sb.Append("```\n\n");
        }
        return sb.ToString();
    }

    private static List<(int, int)> Merge(IEnumerable<(int From, int To)> spans)
    {
        var merged = new List<(int, int)>();
        foreach (var s in spans.Where(s => s.To >= s.From).OrderBy(s => s.From))
        {
            if (merged.Count > 0 && s.From <= merged[^1].Item2 + 1) merged[^1] = (merged[^1].Item1, Math.Max(merged[^1].Item2, s.To));
            else merged.Add((s.From, s.To));
        }
        return merged;
    }
}
