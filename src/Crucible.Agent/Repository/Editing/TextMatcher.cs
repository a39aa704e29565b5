namespace Crucible.Agent.Repository.Editing;

/// <summary>
/// Finds a SEARCH text in a file and replaces it, through a cascade that forgives what models get wrong without
/// guessing: exact lines; then lines equal once leading whitespace is stripped, with one consistent indentation offset
/// (the replacement is re-indented by it); then blank lines at the ends of the search or between its lines; then
/// <c>...</c> elision (each piece matched in order, the same number of pieces in the replacement). Trailing whitespace
/// never matters. A search found more than once takes the first occurrence at or after <c>from</c>.
/// </summary>
public static class TextMatcher
{
    /// <summary>Lines replaced: [<paramref name="Start"/>, Start+Length) of the file by <paramref name="Replacement"/>.</summary>
    public sealed record Match(int Start, int Length, IReadOnlyList<string> Replacement, MatchKind Kind);

    public static (List<string> Lines, MatchKind Kind)? Apply(IReadOnlyList<string> file, IReadOnlyList<string> search, IReadOnlyList<string> replace, int from = 0)
    {
        var pieces = Find(file, search, replace, from) ?? (from > 0 ? Find(file, search, replace, 0) : null);
        if (pieces is null) return null;
        var result = new List<string>(file.Count);
        var at = 0;
        foreach (var m in pieces.OrderBy(p => p.Start))
        {
            result.AddRange(file.Skip(at).Take(m.Start - at));
            result.AddRange(m.Replacement);
            at = m.Start + m.Length;
        }
        result.AddRange(file.Skip(at));
        return (result, pieces.Count > 1 ? MatchKind.Elision : pieces[0].Kind);
    }

    private static IReadOnlyList<Match>? Find(IReadOnlyList<string> file, IReadOnlyList<string> search, IReadOnlyList<string> replace, int from)
    {
        if (FindOne(file, search, replace, from) is { } single) return [single];
        return FindElided(file, search, replace, from);
    }

    private static Match? FindOne(IReadOnlyList<string> file, IReadOnlyList<string> search, IReadOnlyList<string> replace, int from)
    {
        if (search.Count == 0 || search.All(string.IsNullOrWhiteSpace)) return null;
        for (var s = from; s + search.Count <= file.Count; s++)
            if (Enumerable.Range(0, search.Count).All(k => file[s + k].TrimEnd() == search[k].TrimEnd()))
                return new Match(s, search.Count, replace.ToArray(), MatchKind.Exact);
        for (var s = from; s + search.Count <= file.Count; s++)
            if (IndentOffset(file, s, search) is { } offset)
                return new Match(s, search.Count, Reindent(replace, offset, file[s + FirstNonBlank(search)]), MatchKind.LeadingWhitespace);

        var trimmed = TrimBlankEnds(search, replace);
        if (trimmed is { } t && t.Search.Count < search.Count && FindOne(file, t.Search, t.Replace, from) is { } m)
            return m with { Kind = MatchKind.BlankLines };
        return FindIgnoringBlankLines(file, search, replace, from);
    }

    /// <summary>Non-blank search lines against non-blank file lines; the matched span runs from the first to the last matched file line.</summary>
    private static Match? FindIgnoringBlankLines(IReadOnlyList<string> file, IReadOnlyList<string> search, IReadOnlyList<string> replace, int from)
    {
        var wanted = search.Where(l => l.Trim().Length > 0).Select(l => l.Trim()).ToArray();
        if (wanted.Length == 0 || wanted.Length == search.Count) return null;
        var positions = Enumerable.Range(0, file.Count).Where(i => i >= from && file[i].Trim().Length > 0).ToArray();
        for (var p = 0; p + wanted.Length <= positions.Length; p++)
        {
            if (!Enumerable.Range(0, wanted.Length).All(k => file[positions[p + k]].Trim() == wanted[k])) continue;
            var start = positions[p];
            var length = positions[p + wanted.Length - 1] - start + 1;
            var delta = Leading(file[start]).Length - Leading(search.First(l => l.Trim().Length > 0)).Length;
            return new Match(start, length, Reindent(replace, delta, file[start]), MatchKind.BlankLines);
        }
        return null;
    }

    private static IReadOnlyList<Match>? FindElided(IReadOnlyList<string> file, IReadOnlyList<string> search, IReadOnlyList<string> replace, int from)
    {
        var sp = SplitOnElision(search);
        var rp = SplitOnElision(replace);
        if (sp.Count < 2 || sp.Count != rp.Count) return null;
        var matches = new List<Match>();
        var at = from;
        for (var k = 0; k < sp.Count; k++)
        {
            if (sp[k].All(string.IsNullOrWhiteSpace))
            {
                if (rp[k].Any(l => l.Trim().Length > 0)) return null; // an insertion with no anchor would be a guess
                continue;
            }
            var m = FindOne(file, sp[k], rp[k], at);
            if (m is null) return null;
            matches.Add(m);
            at = m.Start + m.Length;
        }
        return matches.Count > 0 ? matches : null;
    }

    private static List<IReadOnlyList<string>> SplitOnElision(IReadOnlyList<string> lines)
    {
        var pieces = new List<IReadOnlyList<string>>();
        var current = new List<string>();
        foreach (var l in lines)
        {
            var t = l.Trim();
            if (t is "..." or "# ..." or "// ..." or "…") { pieces.Add(current); current = []; }
            else current.Add(l);
        }
        pieces.Add(current);
        return pieces;
    }

    /// <summary>The one indentation offset (file minus search) shared by every non-blank line, or null.</summary>
    private static int? IndentOffset(IReadOnlyList<string> file, int start, IReadOnlyList<string> search)
    {
        int? offset = null;
        for (var k = 0; k < search.Count; k++)
        {
            var f = file[start + k];
            var s = search[k];
            if (s.Trim().Length == 0 && f.Trim().Length == 0) continue;
            if (f.Trim() != s.Trim()) return null;
            var o = Leading(f).Length - Leading(s).Length;
            if (offset is null) offset = o;
            else if (offset != o) return null;
        }
        return offset;
    }

    private static List<string> Reindent(IReadOnlyList<string> lines, int offset, string fileLine)
    {
        if (offset == 0) return [.. lines];
        var unit = Leading(fileLine).Contains('\t') ? '\t' : ' ';
        return lines.Select(l =>
        {
            if (l.Trim().Length == 0) return l;
            if (offset > 0) return new string(unit, offset) + l;
            var strip = Math.Min(-offset, Leading(l).Length);
            return l[strip..];
        }).ToList();
    }

    private static (IReadOnlyList<string> Search, IReadOnlyList<string> Replace)? TrimBlankEnds(IReadOnlyList<string> search, IReadOnlyList<string> replace)
    {
        static IReadOnlyList<string> Trim(IReadOnlyList<string> l) =>
            l.SkipWhile(string.IsNullOrWhiteSpace).Reverse().SkipWhile(string.IsNullOrWhiteSpace).Reverse().ToArray();
        var s = Trim(search);
        return s.Count == 0 ? null : (s, Trim(replace));
    }

    private static int FirstNonBlank(IReadOnlyList<string> lines)
    {
        for (var i = 0; i < lines.Count; i++) if (lines[i].Trim().Length > 0) return i;
        return 0;
    }

    private static string Leading(string line) => line[..(line.Length - line.TrimStart().Length)];

    /// <summary>
    /// The window of the file most like <paramref name="search"/> (share of lines equal once trimmed, then shared
    /// words), for telling the model what the file really says; null when nothing is similar.
    /// </summary>
    public static (int Start, int Length)? Closest(IReadOnlyList<string> file, IReadOnlyList<string> search)
    {
        var wanted = search.Where(l => l.Trim().Length > 0).Select(l => l.Trim()).ToArray();
        if (wanted.Length == 0 || file.Count == 0) return null;
        var words = wanted.Select(w => w.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal)).ToArray();
        var window = Math.Min(search.Count, file.Count);
        var best = (-1.0, 0);
        for (var s = 0; s + window <= file.Count; s++)
        {
            var score = 0.0;
            for (var k = 0; k < Math.Min(window, wanted.Length); k++)
            {
                var f = file[s + k].Trim();
                if (f == wanted[k]) { score += 1; continue; }
                var fw = f.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fw.Length > 0) score += 0.5 * fw.Count(words[k].Contains) / Math.Max(fw.Length, words[k].Count);
            }
            if (score > best.Item1) best = (score, s);
        }
        return best.Item1 > 0 ? (best.Item2, window) : null;
    }
}
