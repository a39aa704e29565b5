using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Crucible.Curation;

/// <summary>
/// Runs named stages in order over the problems of the input datasets. Each stage gets its own folder
/// (<c>OUT/NN-name/</c>) with <c>decisions.jsonl</c> (one line per problem it saw: kept or dropped, and why) and
/// <c>kept.jsonl</c> (the problems it passed on, Crucible jsonl); <c>OUT/provenance.jsonl</c> gathers each problem's
/// decisions across stages. A stage that throws is a bug or bad configuration and stops the run; bad problems never
/// throw, they are dropped with a reason.
/// </summary>
public sealed class CurationPipeline(IReadOnlyList<ICurationStage> stages)
{
    public IReadOnlyList<ICurationStage> Stages { get; } = stages;

    public async Task<CurationRun> RunAsync(string outputDirectory, CurationStore store, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        if (Stages.Count == 0) throw new ArgumentException("the pipeline has no stages.");
        var duplicate = Stages.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"stage '{duplicate.Key}' appears twice; stage names are folder names and must be unique.");
        Directory.CreateDirectory(outputDirectory);
        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<CurationItem> items = [];
        IReadOnlyList<CurationItem>? normalized = null;
        var funnel = new List<FunnelRow>();
        var decisions = new List<StageDecision>();
        for (var i = 0; i < Stages.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var stage = Stages[i];
            var dir = Path.Combine(outputDirectory, $"{i + 1:00}-{stage.Name}");
            Directory.CreateDirectory(dir);
            progress?.Report($"{stage.Name}: {items.Count} problems in");
            var stageStarted = Stopwatch.GetTimestamp();
            var outcome = await stage.RunAsync(items, new CurationContext { StageDirectory = dir, Store = store, Progress = progress }, cancellationToken).ConfigureAwait(false);
            CheckAccounting(stage, items, outcome);
            var elapsed = Stopwatch.GetElapsedTime(stageStarted);
            await WriteStageAsync(dir, outcome, cancellationToken).ConfigureAwait(false);
            var dropped = outcome.Decisions.Where(d => !d.Kept).ToList();
            funnel.Add(new FunnelRow
            {
                Stage = stage.Name,
                In = i == 0 ? outcome.Decisions.Count : items.Count,
                Kept = outcome.Kept.Count,
                DropReasons = dropped.GroupBy(d => d.Reason).Select(g => KeyValuePair.Create(g.Key, g.Count())).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList(),
                InfrastructureDrops = dropped.Count(d => d.Infrastructure),
                Elapsed = elapsed,
            });
            decisions.AddRange(outcome.Decisions);
            items = outcome.Kept;
            normalized ??= items;
            progress?.Report($"{stage.Name}: kept {items.Count}, dropped {dropped.Count} ({elapsed.TotalSeconds:0.0} s)");
        }
        await WriteProvenanceAsync(Path.Combine(outputDirectory, "provenance.jsonl"), decisions, cancellationToken).ConfigureAwait(false);
        return new CurationRun
        {
            Funnel = funnel, Decisions = decisions, Final = items, Normalized = normalized ?? [], OutputDirectory = outputDirectory,
            Elapsed = Stopwatch.GetElapsedTime(started),
        };
    }

    /// <summary>Every problem a stage sees must come out kept or dropped exactly once: no silent loss.</summary>
    private static void CheckAccounting(ICurationStage stage, IReadOnlyList<CurationItem> input, StageOutcome outcome)
    {
        if (input.Count == 0) return; // the first stage reads its own input
        var decided = outcome.Decisions.Select(d => d.Key).ToHashSet(StringComparer.Ordinal);
        var missing = input.Where(p => !decided.Contains(p.Key)).Select(p => p.Key).Take(3).ToList();
        if (missing.Count > 0 || outcome.Decisions.Count != input.Count)
            throw new InvalidOperationException($"stage '{stage.Name}' decided {outcome.Decisions.Count} of {input.Count} problems (no decision for {string.Join(", ", missing)}); every problem must be kept or dropped with a reason.");
    }

    private static async Task WriteStageAsync(string dir, StageOutcome outcome, CancellationToken ct)
    {
        await using (var w = new StreamWriter(Path.Combine(dir, "decisions.jsonl")))
            foreach (var d in outcome.Decisions) await w.WriteLineAsync(DecisionLine(d).AsMemory(), ct).ConfigureAwait(false);
        await using (var w = new StreamWriter(Path.Combine(dir, "kept.jsonl")))
            foreach (var item in outcome.Kept) await w.WriteLineAsync(ProblemJson.ToLine(item.Problem with { Id = item.Key }, item.Annotations).AsMemory(), ct).ConfigureAwait(false);
    }

    private static async Task WriteProvenanceAsync(string path, IReadOnlyList<StageDecision> decisions, CancellationToken ct)
    {
        await using var w = new StreamWriter(path);
        foreach (var group in decisions.GroupBy(d => d.Key))
        {
            var last = group.Last();
            var line = new JsonObject
            {
                ["key"] = group.Key,
                ["kept"] = last.Kept,
                ["final_stage"] = last.Stage,
                ["decisions"] = new JsonArray(group.Select(d => (JsonNode)DecisionJson(d)).ToArray()),
            };
            await w.WriteLineAsync(line.ToJsonString().AsMemory(), ct).ConfigureAwait(false);
        }
    }

    internal static JsonObject DecisionJson(StageDecision d)
    {
        var o = new JsonObject { ["stage"] = d.Stage, ["key"] = d.Key, ["kept"] = d.Kept, ["reason"] = d.Reason };
        if (d.Detail is not null) o["detail"] = d.Detail;
        if (d.Infrastructure) o["infrastructure"] = true;
        return o;
    }

    private static string DecisionLine(StageDecision d) => DecisionJson(d).ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
