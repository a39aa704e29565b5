using Crucible.Bench;
using Crucible.Judge;

namespace Crucible.Curation;

/// <summary>
/// Re-judges rollouts that carry their ground truth (verl dumps <c>gts</c>) with Crucible and lists the responses
/// where the trainer's reward and Crucible's verdict disagree — a reward bug, a flaky sandbox, or a lenient grader.
/// Responses Crucible could not judge (sandbox failure, unparseable ground truth) are counted, not compared.
/// </summary>
public sealed class RewardRejudge(ISubmissionJudge judge, int parallelism = 4)
{
    public async Task<RejudgeResult> RunAsync(IReadOnlyList<Rollout> rollouts, RolloutStatsOptions options, CancellationToken cancellationToken = default)
    {
        var candidates = rollouts.Where(r => r.GroundTruth is not null && r.Reward is not null && r.Error is null).ToList();
        var disagreements = new List<RewardDisagreement>();
        int judged = 0, unjudgeable = 0;
        var notes = new List<string>();
        await Parallel.ForEachAsync(candidates, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (r, ct) =>
        {
            Problem problem;
            try
            {
                problem = new Problem { Id = r.PromptId, Tests = GroundTruth.Parse(r.GroundTruth!), Comparison = ComparisonOptions.Apps };
            }
            catch (FormatException e)
            {
                Interlocked.Increment(ref unjudgeable);
                lock (notes) if (notes.Count < 5) notes.Add($"{r.Location}: ground truth not usable ({e.Message})");
                return;
            }
            var code = CodeExtractor.Extract(r.Response, "python") ?? r.Response;
            var result = await judge.JudgeAsync(new Submission(problem, "python", code), ct).ConfigureAwait(false);
            if (result.IsInfrastructureError)
            {
                Interlocked.Increment(ref unjudgeable);
                lock (notes) if (notes.Count < 5) notes.Add($"{r.Location}: sandbox error ({result.Message})");
                return;
            }
            Interlocked.Increment(ref judged);
            var trainerPassed = r.Reward!.Value >= options.PassThreshold;
            if (trainerPassed == result.Passed) return;
            lock (disagreements)
                disagreements.Add(new RewardDisagreement
                {
                    PromptId = r.PromptId, Location = r.Location, TrainerReward = r.Reward.Value, CruciblePassed = result.Passed,
                    CrucibleOutcome = result.Outcome.ToString(), Message = result.Message ?? result.Tests.FirstOrDefault(t => t.Outcome != TestOutcome.Passed)?.Message,
                });
        }).ConfigureAwait(false);
        return new RejudgeResult(judged, unjudgeable, disagreements.OrderBy(d => d.Location, StringComparer.Ordinal).ToList(), notes);
    }
}
