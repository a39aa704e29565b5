using Crucible.Bench;

namespace Crucible.Curation;

/// <summary>
/// Reads every input dataset, in any format Crucible loads, row by row into one problem record each. A row that is
/// not JSON, does not fit its format, or has no tests is a recorded drop; a problem id seen twice in one dataset
/// keeps its first row. Datasets that cannot be read at all (missing file, unknown format) stop the run before
/// anything else happens, naming the file and the fix.
/// </summary>
public sealed class NormalizeStage(IReadOnlyList<string> datasets, DatasetLoadOptions? loadOptions = null) : ICurationStage
{
    public string Name => "normalize";

    public async Task<StageOutcome> RunAsync(IReadOnlyList<CurationItem> items, CurationContext context, CancellationToken cancellationToken)
    {
        if (datasets.Count == 0) throw new ArgumentException("give at least one dataset (--dataset FILE).");
        var kept = new List<CurationItem>();
        var decisions = new List<StageDecision>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in datasets)
        {
            var load = await DatasetLoader.LoadRowsAsync(path, loadOptions, cancellationToken).ConfigureAwait(false);
            var name = UniqueName(load.Name, names);
            // Locations name the file as given on the command line, not the absolute path the loader saw.
            string Short(string text) => text.Replace(load.Path, path, StringComparison.Ordinal);
            foreach (var r in load.Rejections)
                decisions.Add(new StageDecision(Name, $"{name}@{RowOf(r.Location, load.Path)}", false, Categorize(r.Reason), Short(r.Reason)));
            var pending = load.PendingOracles.Select(o => o.ProblemId).ToHashSet(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in load.Problems)
            {
                var p = row.Problem;
                var key = $"{name}:{p.Id}";
                var location = Short(row.Location);
                if (!seen.Add(p.Id))
                {
                    decisions.Add(new StageDecision(Name, $"{key}@{location}", false, "duplicate id", $"{location}: id '{p.Id}' already read from an earlier row of {name}; the first row is kept."));
                    continue;
                }
                if (pending.Contains(p.Id))
                {
                    decisions.Add(new StageDecision(Name, key, false, "tests need reference outputs",
                        $"{location}: the expected outputs of {p.Id} are defined by its canonical solution (EvalPlus); compute them with `crucible eval --reference` first or give the dataset with outputs."));
                    continue;
                }
                if (p.Tests.Count == 0)
                {
                    decisions.Add(new StageDecision(Name, key, false, "no tests", $"{location}: {p.Id} has no tests."));
                    continue;
                }
                var item = new CurationItem { Key = key, Dataset = name, Problem = p, Location = location };
                kept.Add(item);
                decisions.Add(new StageDecision(Name, key, true, "read", $"{location} ({load.Format.ToString().ToLowerInvariant()}, {p.Tests.Count} tests, {p.References.Count} references)"));
            }
            context.Progress?.Report($"normalize: {name}: {load.Problems.Count} problems, {load.Rejections.Count} rows rejected");
        }
        return new StageOutcome(kept, decisions);
    }

    /// <summary>The row part of a loader location (<c>PATH:12</c>, <c>PATH[3]</c>, <c>PATH row 4</c>): <c>line 12</c>, <c>[3]</c>, <c>row 4</c>.</summary>
    private static string RowOf(string location, string fullPath)
    {
        var row = location.StartsWith(fullPath, StringComparison.Ordinal) ? location[fullPath.Length..].TrimStart(' ') : location;
        return row.StartsWith(':') ? "line " + row[1..] : row;
    }

    /// <summary>Two inputs with the same stem (a/train.jsonl, b/train.jsonl) get distinct names so keys stay unique.</summary>
    private static string UniqueName(string name, HashSet<string> taken)
    {
        var candidate = name;
        for (var i = 2; !taken.Add(candidate); i++) candidate = $"{name}#{i}";
        return candidate;
    }

    private static string Categorize(string reason) =>
        reason.Contains("not valid JSON", StringComparison.Ordinal) || reason.Contains("expected a JSON object", StringComparison.Ordinal) ? "malformed row"
        : reason.Contains("no tests", StringComparison.Ordinal) || reason.Contains("no test cases", StringComparison.Ordinal) || reason.Contains("no input_output", StringComparison.Ordinal) ? "no tests"
        : "unreadable row";
}
