using System.Globalization;
using System.Text.Json.Nodes;
using Crucible.Bench;

namespace Crucible.Curation;

/// <summary>
/// Drops training problems that overlap an evaluation set: word n-grams of the statements, and token n-grams of the
/// reference solutions against the evaluation set's solutions. Every overlapping pair at or above the threshold is
/// written to <c>contamination.jsonl</c> (training problem, evaluation problem, kind, shared n-grams, overlap) so the
/// evidence can be read, not just the verdict.
/// </summary>
public sealed class DecontaminateStage(DecontaminateOptions options) : ICurationStage
{
    public string Name => "decontaminate";

    public async Task<StageOutcome> RunAsync(IReadOnlyList<CurationItem> items, CurationContext context, CancellationToken cancellationToken)
    {
        if (options.EvalSets.Count == 0) throw new ArgumentException("decontaminate needs at least one evaluation set (--eval-set FILE).");
        if (options.Threshold is <= 0 or > 1) throw new ArgumentException($"the contamination threshold must be in (0, 1], got {options.Threshold}.");
        var statements = new NGramOverlapIndex();
        var code = new NGramOverlapIndex();
        var statementOwner = new List<(string Set, string Id)>();
        var codeOwner = new List<(string Set, string Id)>();
        foreach (var path in options.EvalSets)
        {
            var load = await DatasetLoader.LoadRowsAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var row in load.Problems)
            {
                var p = row.Problem;
                var text = string.IsNullOrWhiteSpace(p.Statement) ? p.Prompt ?? "" : p.Statement;
                statements.Add(NGramHasher.Hashes(TextNormalizer.Words(text), options.StatementNgram));
                statementOwner.Add((load.Name, p.Id));
                if (!options.CompareCode) continue;
                foreach (var r in p.References)
                {
                    code.Add(NGramHasher.Hashes(TextNormalizer.CodeTokens(r.Code), options.CodeNgram));
                    codeOwner.Add((load.Name, p.Id));
                }
            }
            context.Progress?.Report($"decontaminate: {load.Name}: {load.Problems.Count} evaluation problems ({load.Rejections.Count} rows unreadable)");
        }

        var kept = new List<CurationItem>();
        var decisions = new List<StageDecision>();
        var findings = new List<ContaminationFinding>();
        foreach (var item in items)
        {
            var mine = new List<ContaminationFinding>();
            var text = DeduplicateStage.Text(item);
            mine.AddRange(Find(item.Key, NGramHasher.Hashes(TextNormalizer.Words(text), options.StatementNgram), statements, statementOwner, "statement"));
            if (options.CompareCode)
                foreach (var r in item.Problem.References)
                    mine.AddRange(Find(item.Key, NGramHasher.Hashes(TextNormalizer.CodeTokens(r.Code), options.CodeNgram), code, codeOwner, "code"));
            // One finding per evaluation problem and kind: the strongest.
            mine = mine.GroupBy(f => (f.EvalSet, f.EvalId, f.Kind)).Select(g => g.MaxBy(f => f.Overlap)!).OrderByDescending(f => f.Overlap).ToList();
            findings.AddRange(mine);
            if (mine.Count == 0)
            {
                kept.Add(item);
                decisions.Add(new StageDecision(Name, item.Key, true, "clean"));
                continue;
            }
            var worst = mine[0];
            decisions.Add(new StageDecision(Name, item.Key, false, $"contaminated ({worst.Kind})", string.Create(CultureInfo.InvariantCulture,
                $"{worst.Kind} overlaps {worst.EvalId} of {worst.EvalSet}: {worst.Overlap:0.00} of n-grams ({worst.SharedNgrams} shared){(mine.Count > 1 ? $"; {mine.Count - 1} more finding(s)" : "")}")));
        }
        await using (var w = new StreamWriter(Path.Combine(context.StageDirectory, "contamination.jsonl")))
            foreach (var f in findings)
                await w.WriteLineAsync(new JsonObject
                {
                    ["train"] = f.TrainKey, ["eval_set"] = f.EvalSet, ["eval_id"] = f.EvalId, ["kind"] = f.Kind,
                    ["shared_ngrams"] = f.SharedNgrams, ["overlap"] = Math.Round(f.Overlap, 4),
                }.ToJsonString().AsMemory(), cancellationToken).ConfigureAwait(false);
        return new StageOutcome(kept, decisions);
    }

    private IEnumerable<ContaminationFinding> Find(string key, ulong[] ngrams, NGramOverlapIndex index, List<(string Set, string Id)> owner, string kind)
    {
        if (ngrams.Length == 0) yield break;
        foreach (var (i, shared, overlap) in index.Overlaps(ngrams))
            if (shared >= options.MinShared && overlap >= options.Threshold)
                yield return new ContaminationFinding { TrainKey = key, EvalSet = owner[i].Set, EvalId = owner[i].Id, Kind = kind, SharedNgrams = shared, Overlap = overlap };
    }
}
