using System.Text;
using Crucible.Agent.Models;
using Crucible.Agent.Repository.Map;
using Crucible.Agent.Repository.Repair;

namespace Crucible.Agent.Repository.Localization;

/// <summary>
/// Agentless-style localisation in three model calls, each answer parsed leniently (paths resolved against the map
/// however the model wrote them, names matched against the parsed definitions, numbers read wherever they are), several
/// samples merged by vote: (1) files, at most five, from the ranked repository map; (2) classes and functions, from
/// those files' skeletons; (3) line ranges, from those definitions' numbered code. A step whose answers name nothing
/// usable falls back to the map's own ranking (files) or BM25 over definitions (symbols), and says so in the trace.
/// </summary>
public sealed class Localizer(RepairContext context)
{
    public const int MaxFiles = 5;
    private const int MaxSymbols = 8;

    public async Task<Localization> LocalizeAsync(CancellationToken ct)
    {
        var map = context.Map;
        var issue = context.Issue.ProblemStatement;
        var ranked = map.Rank(issue);
        var code = ranked.Where(r => map.Find(r.Path)?.Language is not ("text" or null)).ToArray();
        var shown = map.Render(code, context.Settings.MapTokens);
        var others = code.Select(r => r.Path).Where(p => !shown.Contains(p + "\n", StringComparison.Ordinal)).Take(200);
        var n = context.Settings.LocalizationSamples;

        var fileAnswers = await context.AskAsync([ModelMessage.User(LocalizationPrompts.Files(issue, shown, others))], n, "localize/files", ct).ConfigureAwait(false);
        var files = Vote(fileAnswers.Select(a => ParseFiles(a)).ToArray()).Take(MaxFiles).ToList();
        if (files.Count == 0)
        {
            files = code.Where(r => !RepositoryMap.IsTestPath(r.Path)).Take(3).Select(r => r.Path).ToList();
            context.Note("localisation named no known file; using the map's top files", new() { ["files"] = string.Join(", ", files) });
        }

        var skeletons = string.Join("\n", files.Select(f => map.Skeleton(f)));
        var symbolAnswers = await context.AskAsync([ModelMessage.User(LocalizationPrompts.Symbols(issue, skeletons))], n, "localize/symbols", ct).ConfigureAwait(false);
        var symbols = Vote(symbolAnswers.Select(a => ParseSymbols(a, files)).ToArray()).Take(MaxSymbols).ToList();
        if (symbols.Count == 0)
        {
            symbols = map.SearchDefinitions(issue, 50).Where(f => files.Contains(f.Path)).Take(3)
                .Select(f => new LocatedSymbol(f.Path, f.Definition.QualifiedName, f.Definition.Line, f.Definition.EndLine)).ToList();
            context.Note("localisation named no known definition; using BM25 over the files' definitions",
                new() { ["symbols"] = string.Join(", ", symbols.Select(s => s.QualifiedName)) });
        }

        var ranges = new List<LineRange>();
        if (symbols.Count > 0)
        {
            var numbered = NumberedCode(symbols);
            var lineAnswers = await context.AskAsync([ModelMessage.User(LocalizationPrompts.Lines(issue, numbered))], n, "localize/lines", ct).ConfigureAwait(false);
            // Ranges are read against the files of the chosen definitions: a bare "lines 6 to 9" then has one file to mean.
            var symbolFiles = symbols.Select(s => s.Path).Distinct().ToList();
            ranges = lineAnswers.SelectMany(a => ParseRanges(a, symbolFiles)).Distinct().ToList();
        }
        var result = new Localization { Files = files, Symbols = symbols, Ranges = ranges };
        context.Note("localised", new()
        {
            ["files"] = string.Join(", ", files),
            ["symbols"] = string.Join(", ", symbols.Select(s => $"{s.Path}:{s.QualifiedName}")),
            ["ranges"] = string.Join(", ", ranges.Select(r => $"{r.Path}:{r.From}-{r.To}")),
        });
        return result;
    }

    /// <summary>Paths named in an answer, in order, resolved against the repository.</summary>
    public IReadOnlyList<string> ParseFiles(string answer)
    {
        var found = new List<string>();
        foreach (var token in Tokens(answer))
            if (context.Map.ResolvePath(token) is { } path && !found.Contains(path)) found.Add(path);
        return found;
    }

    public IReadOnlyList<LocatedSymbol> ParseSymbols(string answer, IReadOnlyList<string> files)
    {
        var found = new List<LocatedSymbol>();
        string? current = files.Count == 1 ? files[0] : null;
        foreach (var line in Lines(answer))
        {
            var named = Tokens(line).Select(context.Map.ResolvePath).FirstOrDefault(p => p is not null && files.Contains(p));
            if (named is not null) current = named;
            var words = Tokens(line).Select(t => t.Trim('`', '(', ')', ':', ',', '"', '\'')).Where(t => t.Length > 0).ToArray();
            foreach (var path in current is null ? files : [current])
            {
                var defs = context.Map.SymbolsOf(path).Definitions.Where(d => d.Kind != "variable").ToArray();
                foreach (var w in words)
                {
                    var d = defs.FirstOrDefault(d => d.QualifiedName == w) ?? defs.FirstOrDefault(d => d.Name == w && w is not ("function" or "class" or "method"));
                    var s = d is null ? null : new LocatedSymbol(path, d.QualifiedName, d.Line, d.EndLine);
                    if (s is not null && !found.Contains(s)) found.Add(s);
                }
            }
        }
        return found;
    }

    public IReadOnlyList<LineRange> ParseRanges(string answer, IReadOnlyList<string> files)
    {
        var found = new List<LineRange>();
        string? current = files.Count == 1 ? files[0] : null;
        foreach (var line in Lines(answer))
        {
            var named = Tokens(line).Select(context.Map.ResolvePath).FirstOrDefault(p => p is not null && files.Contains(p));
            if (named is not null) current = named;
            if (current is null) continue;
            var length = context.Map.Find(current)?.Lines.Length ?? 0;
            var rest = named is null ? line : line[(line.IndexOf(':') is var c && c >= 0 ? c : 0)..];
            foreach (var (from, to) in Numbers(rest))
                if (from >= 1 && from <= length) found.Add(new LineRange(current, from, Math.Min(Math.Max(from, to), length)));
        }
        return found;
    }

    private string NumberedCode(IReadOnlyList<LocatedSymbol> symbols)
    {
        var sb = new StringBuilder();
        foreach (var group in symbols.GroupBy(s => s.Path))
        {
            var lines = context.Map.Find(group.Key)!.Lines;
            sb.Append("### ").Append(group.Key).Append('\n');
            foreach (var s in group.OrderBy(s => s.Line))
            {
                for (var l = s.Line; l <= Math.Min(s.EndLine, Math.Min(lines.Length, s.Line + 150)); l++)
                    sb.Append(l.ToString().PadLeft(5)).Append(' ').Append(lines[l - 1]).Append('\n');
                sb.Append("...\n");
            }
        }
        return sb.ToString();
    }

    /// <summary>Items ranked by reciprocal-rank votes over samples (earlier in an answer and named by more samples first).</summary>
    private static IEnumerable<T> Vote<T>(IReadOnlyList<IReadOnlyList<T>> answers) where T : notnull =>
        answers.SelectMany(a => a.Select((item, rank) => (item, score: 1.0 / (rank + 1))))
            .GroupBy(x => x.item).OrderByDescending(g => g.Sum(x => x.score)).ThenBy(g => answers.Min(a => a.ToList().IndexOf(g.Key) is var i && i >= 0 ? i : int.MaxValue))
            .Select(g => g.Key);

    private static IEnumerable<string> Lines(string answer)
    {
        var end = answer.LastIndexOf("</think>", StringComparison.Ordinal);
        var text = end >= 0 ? answer[(end + 8)..] : answer;
        return text.Replace("\r\n", "\n").Split('\n').Where(l => !l.TrimStart().StartsWith("```", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Tokens(string text) =>
        Lines(text).SelectMany(l => l.Split((char[])[' ', '\t', ',', '|'], StringSplitOptions.RemoveEmptyEntries))
            .SelectMany(t => t.Contains("::", StringComparison.Ordinal) ? t.Split("::") : [t])
            .Select(t => t.TrimEnd(':').Trim('`', '*', '"', '\'', '-', '(', ')', '[', ']'))
            .Where(t => t.Length > 0);

    /// <summary>Line numbers and ranges written anywhere in <paramref name="text"/>: <c>12</c>, <c>12-18</c>, <c>12–18</c>, <c>12 to 18</c>.</summary>
    internal static IEnumerable<(int From, int To)> Numbers(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsDigit(text[i])) { i++; continue; }
            var (a, next) = ReadInt(text, i);
            var j = next;
            while (j < text.Length && text[j] == ' ') j++;
            var sep = j < text.Length && (text[j] == '-' || text[j] == '–') ? 1 : text.AsSpan(j).StartsWith("to ") ? 3 : 0;
            if (sep > 0)
            {
                var k = j + sep;
                while (k < text.Length && text[k] == ' ') k++;
                if (k < text.Length && char.IsDigit(text[k]))
                {
                    var (b, after) = ReadInt(text, k);
                    yield return (a, b);
                    i = after;
                    continue;
                }
            }
            yield return (a, a);
            i = next;
        }
    }

    private static (int Value, int Next) ReadInt(string text, int i)
    {
        var start = i;
        while (i < text.Length && char.IsDigit(text[i])) i++;
        return (int.TryParse(text.AsSpan(start, Math.Min(i - start, 9)), out var v) ? v : 0, i);
    }
}
