using System.Globalization;

namespace Crucible.Curation;

/// <summary>
/// Finds problems that are the same problem, within one dataset and across datasets: exact copies (same normalized
/// statement) and near-duplicates (MinHash/LSH over word shingles, Jaccard ≥ threshold). Each group of duplicates
/// keeps one problem — the one with the most tests, the earliest on a tie — and the others are dropped naming it.
/// <c>pairs.jsonl</c> in the stage folder lists every duplicate pair found.
/// </summary>
public sealed class DeduplicateStage(DeduplicateOptions? options = null) : ICurationStage
{
    private readonly DeduplicateOptions _options = options ?? new DeduplicateOptions();

    public string Name => "deduplicate";

    public async Task<StageOutcome> RunAsync(IReadOnlyList<CurationItem> items, CurationContext context, CancellationToken cancellationToken)
    {
        var texts = items.Select(i => Text(i)).ToList();
        var normalized = texts.Select(TextNormalizer.Normalize).ToList();
        var union = new int[items.Count];
        for (var i = 0; i < union.Length; i++) union[i] = i;
        int Find(int x)
        {
            while (union[x] != x) x = union[x] = union[union[x]];
            return x;
        }
        void Join(int a, int b) => union[Find(a)] = Find(b);

        var pairs = new List<(int A, int B, double Similarity, bool Exact)>();
        foreach (var group in Enumerable.Range(0, items.Count).Where(i => normalized[i].Length > 0).GroupBy(i => normalized[i], StringComparer.Ordinal))
        {
            var members = group.ToList();
            for (var k = 1; k < members.Count; k++)
            {
                pairs.Add((members[0], members[k], 1.0, true));
                Join(members[0], members[k]);
            }
        }
        NearDuplicateIndex? index = null;
        List<ulong[]> shingles = [];
        if (_options.Near)
        {
            index = new NearDuplicateIndex(_options.Threshold, _options.ShingleSize, _options.Permutations);
            shingles = texts.Select(index.Shingles).ToList();
            foreach (var p in index.FindPairs(shingles))
            {
                if (normalized[p.First] == normalized[p.Second]) continue; // already an exact pair
                pairs.Add((p.First, p.Second, p.Similarity, false));
                Join(p.First, p.Second);
            }
        }

        // The survivor of each group: most tests, then input order.
        var survivor = new Dictionary<int, int>();
        for (var i = 0; i < items.Count; i++)
        {
            var root = Find(i);
            if (!survivor.TryGetValue(root, out var s) || items[i].Problem.Tests.Count > items[s].Problem.Tests.Count) survivor[root] = i;
        }
        var groupSizes = Enumerable.Range(0, items.Count).GroupBy(Find).ToDictionary(g => g.Key, g => g.Count());
        var kept = new List<CurationItem>();
        var decisions = new List<StageDecision>();
        for (var i = 0; i < items.Count; i++)
        {
            var s = survivor[Find(i)];
            if (s == i)
            {
                kept.Add(items[i]);
                var groupSize = groupSizes[Find(i)];
                decisions.Add(new StageDecision(Name, items[i].Key, true, "unique", groupSize > 1 ? $"kept over {groupSize - 1} duplicate(s) (most tests: {items[i].Problem.Tests.Count})" : null));
                continue;
            }
            // The reason is the relation to the problem kept in its place; an exact copy of another dropped problem is
            // still a near-duplicate of the survivor.
            var exact = normalized[i].Length > 0 && normalized[i] == normalized[s];
            var similarity = exact ? 1.0 : index is null ? 0 : NGramHasher.Jaccard(shingles[i], shingles[s]);
            var across = items[i].Dataset != items[s].Dataset ? "across datasets" : "within " + items[i].Dataset;
            decisions.Add(new StageDecision(Name, items[i].Key, false, exact ? "exact duplicate" : "near-duplicate",
                string.Create(CultureInfo.InvariantCulture, $"of {items[s].Key} ({across}; jaccard {similarity:0.00} to it; it has {items[s].Problem.Tests.Count} tests, this {items[i].Problem.Tests.Count})")));
        }
        await using (var w = new StreamWriter(Path.Combine(context.StageDirectory, "pairs.jsonl")))
            foreach (var (a, b, sim, exact) in pairs)
                await w.WriteLineAsync(new System.Text.Json.Nodes.JsonObject
                {
                    ["a"] = items[a].Key, ["b"] = items[b].Key, ["jaccard"] = Math.Round(sim, 4), ["exact"] = exact,
                    ["across_datasets"] = items[a].Dataset != items[b].Dataset,
                }.ToJsonString().AsMemory(), cancellationToken).ConfigureAwait(false);
        context.Progress?.Report($"deduplicate: {pairs.Count} duplicate pairs{(index is null ? "" : $", LSH {index.Bands}×{index.Rows} proposed {index.CandidatesLastRun} candidates")}");
        return new StageOutcome(kept, decisions);
    }

    /// <summary>What is compared: the statement, or the code prompt when the dataset has no separate statement.</summary>
    internal static string Text(CurationItem item) =>
        string.IsNullOrWhiteSpace(item.Problem.Statement) ? item.Problem.Prompt ?? "" : item.Problem.Statement;
}
