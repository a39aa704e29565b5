using Crucible.Agent.Models;
using Crucible.Agent.Repository.Repair;
using Crucible.Agent.Repository.Verification;

namespace Crucible.Agent.Repository.Strategies.Rerank;

/// <summary>
/// Agentless's sample-and-rerank: localise once, draw N edit answers (the first at the run's temperature, the rest
/// sampled), apply each to a clean base (with edit retries), then rank the distinct patches: fewest regressions, then
/// the reproduction test passing, then most votes among samples whose normalised patches agree, then earliest.
/// </summary>
public sealed class RerankStrategy(int samples) : IRepairStrategy
{
    public string Name => "rerank";

    public async Task<string?> SolveAsync(RepairContext context, CancellationToken cancellationToken)
    {
        var localization = await context.LocalizeAsync(cancellationToken).ConfigureAwait(false);
        await context.Workspace.ResetAsync(cancellationToken).ConfigureAwait(false);
        var prompt = EditPrompts.Fix(context.Issue, localization.RenderCode(context.Map, context.Workspace.ReadText), hints: false);
        var answers = await context.AskAsync([ModelMessage.User(prompt)], samples, "rerank/sample", cancellationToken).ConfigureAwait(false);
        var patches = new List<string>();
        foreach (var (answer, i) in answers.Select((a, i) => (a, i)))
        {
            await context.Workspace.ResetAsync(cancellationToken).ConfigureAwait(false);
            await EditConversation.RunAsync(context, [ModelMessage.User(prompt)], $"rerank/edit-{i + 1}", cancellationToken, answer).ConfigureAwait(false);
            var patch = await context.Workspace.DiffAsync(cancellationToken).ConfigureAwait(false);
            if (patch.Trim().Length > 0) patches.Add(patch);
        }
        await context.Workspace.ResetAsync(cancellationToken).ConfigureAwait(false);
        if (patches.Count == 0) return null;

        var votes = patches.GroupBy(PatchText.Normalise).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var distinct = patches.Distinct(StringComparer.Ordinal).ToList();
        var scored = new List<(string Patch, CandidateCheck? Check, int Votes, int Order)>();
        foreach (var (patch, order) in distinct.Select((p, i) => (p, i)))
            scored.Add((patch, await context.VerifyAsync(patch, cancellationToken).ConfigureAwait(false), votes[PatchText.Normalise(patch)], order));
        var chosen = scored
            .OrderBy(s => s.Check, Comparer<CandidateCheck?>.Create((a, b) => a is null || b is null ? 0 : CandidateRanking.Compare(a, b)))
            .ThenByDescending(s => s.Votes).ThenBy(s => s.Order).First();
        context.Note("reranked", new()
        {
            ["candidates"] = string.Join("; ", scored.Select(s => $"{PatchText.Hash(s.Patch)}: regressions={s.Check?.Regressions.Count.ToString() ?? "n/a"} repro={s.Check?.ReproductionPasses?.ToString() ?? "n/a"} votes={s.Votes}")),
            ["chosen"] = PatchText.Hash(chosen.Patch),
        });
        return chosen.Patch;
    }
}
