using System.Text.Json;
using Crucible.Client;
using Microsoft.AspNetCore.Http;
using Crucible.Judge;
using Crucible.Sandbox;
using Microsoft.Extensions.Logging;

namespace Crucible.Server;

/// <summary>
/// <c>POST /v1/rewards</c>: scores a batch of raw model responses against their ground truth. An item's problem
/// (unreadable ground truth, unknown language) or an infrastructure failure affects that item only: the batch is
/// always answered, item by item, and an infrastructure failure is never scored — it is <c>infra_error</c> with no score.
/// </summary>
internal static class RewardsEndpoint
{
    public static Task HandleAsync(ExecutionHost host, HttpContext context) =>
        host.HandleAsync<RewardsRequest, RewardsWork>(context, "rewards", r => Prepare(host, r), w => w.Items.Count, (w, scope) => ExecuteAsync(host, w, scope));

    public static RewardsWork Prepare(ExecutionHost host, RewardsRequest r)
    {
        if (r.Items is null || r.Items.Count == 0)
            throw new InvalidFieldException("items", "items must hold at least one {data_source, solution_str, ground_truth, extra_info}.");
        var scoring = (r.Scoring ?? RewardsRequest.Binary).Trim().ToLowerInvariant();
        if (scoring is not (RewardsRequest.Binary or RewardsRequest.Fraction))
            throw new InvalidFieldException("scoring", $"unknown scoring '{r.Scoring}'; use binary (all selected tests pass → 1) or fraction (share passed).");
        var tests = r.Tests?.Validate("tests");
        if (r.Language is not null) Languages.Resolve(host, r.Language, "language");
        var cpuOverride = WireLimits.Seconds(r.CpuTimeLimitSeconds, "cpu_time_limit_s");
        var comparison = r.Comparison?.ToOptions("comparison");
        var plans = new List<RewardPlan>(r.Items.Count);
        for (var i = 0; i < r.Items.Count; i++) plans.Add(Plan(host, r, tests, comparison, i));
        return new RewardsWork(plans, scoring, tests ?? new TestSelection(), cpuOverride);
    }

    private static RewardPlan Plan(ExecutionHost host, RewardsRequest r, TestSelection? requested, ComparisonOptions? comparison, int index)
    {
        var path = $"items[{index}]";
        var item = r.Items![index];
        try
        {
            if (item is null) throw new InvalidFieldException(path, "an item must be an object, not null.");
            if (item.SolutionStr is null) throw new InvalidFieldException(path + ".solution_str", "solution_str is required: the model's raw response.");
            if (item.GroundTruth is not { } gt || gt.ValueKind == JsonValueKind.Null)
                throw new InvalidFieldException(path + ".ground_truth", "ground_truth is required: the item's tests in a dataset shape.");
            var problem = GroundTruthReader.Read(gt, path + ".ground_truth", $"item-{index}", GroundTruthReader.EntryPointOf(item.ExtraInfo));
            // The item's data source grades it as its trainer's reward code would; the request's fields override.
            var rule = r.DataSourceRules ? GradingRules.Find(item.DataSource) : null;
            if (rule is not null) problem = rule.ApplyTo(problem);
            if (comparison is not null) problem = problem with { Comparison = comparison };
            var selection = requested ?? (rule?.MaxTests is { } max ? new TestSelection { Policy = TestSelection.Longest, Count = max } : new TestSelection());
            var selected = selection.Apply(problem.Tests, InputSize);
            var fence = CodeFence.ExtractLast(item.SolutionStr);
            var (language, chosenByModel) = ItemLanguage(host, r, item, fence?.Info, path);
            var plan = new RewardPlan(index, language, problem.Tests.Count, selected.Count) { Grading = rule?.Name };
            if (fence is null && r.RequireCodeFence)
                return plan with { Settled = (RewardStatus.Scored, "NoCode", "the response has no complete fenced code block (```...```); scored 0.") };
            // Function-call and assertion tests call Python code: an answer the model wrote in another language is a
            // wrong answer, scored 0 like any other (a language set by the request or the item is a set-up error).
            if (chosenByModel && language != "python" && selected.Any(t => t.CallsIntoPython))
                return plan with { Settled = (RewardStatus.Scored, "WrongLanguage", $"the item's tests call Python functions but the answer is {language}; scored 0.") };
            var code = fence?.Code ?? item.SolutionStr;
            return plan with { Submission = new Submission(problem with { Tests = selected }, language, code) };
        }
        catch (InvalidFieldException e)
        {
            return new RewardPlan(index, null, 0, 0) { Settled = (RewardStatus.Invalid, null, $"{e.Field}: {e.Message}") };
        }
    }

    /// <summary>
    /// extra_info.language, else the request's language, else the fence's info string when known, else python; and
    /// whether the model chose it (the fence named it).
    /// </summary>
    private static (string Language, bool ChosenByModel) ItemLanguage(ExecutionHost host, RewardsRequest r, RewardItem item, string? fenceInfo, string path)
    {
        if (item.ExtraInfo is { ValueKind: JsonValueKind.Object } extra && extra.TryGetProperty("language", out var l) && l.ValueKind == JsonValueKind.String)
            return (Languages.Resolve(host, l.GetString(), path + ".extra_info.language"), false);
        if (r.Language is not null) return (Languages.Resolve(host, r.Language, "language"), false);
        if (!string.IsNullOrEmpty(fenceInfo) && host.Pool.Languages.TryGet(fenceInfo, out var lang) && lang.Available) return (lang.Id, true);
        return (Languages.Resolve(host, "python", "language"), false);
    }

    private static long InputSize(TestCase t) => t switch
    {
        StdioTest s => s.Input.Length,
        FunctionCallTest f => f.ArgumentsJson.Length,
        AssertionTest a => a.Script.Length,
        CheckerTest c => c.Input.Length,
        _ => 0,
    };

    public static async Task<object> ExecuteAsync(ExecutionHost host, RewardsWork work, RequestScope scope)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var results = await Task.WhenAll(work.Items.Select(p => ScoreAsync(host, work, p, scope))).ConfigureAwait(false);
        // Cut off by shutdown with nothing scored: a retryable refusal. With some scored, they are kept and only the
        // interrupted items come back as infra_error, for the client to send to another replica.
        if (scope.DrainEnded && results.All(r => r.Status != RewardStatus.Scored)) throw scope.Unfinished();
        foreach (var r in results) host.Metrics.RewardItem(r.Status);
        var scored = results.Where(r => r.Status == RewardStatus.Scored).ToList();
        return new RewardsResponse
        {
            Scoring = work.Scoring,
            Tests = work.Tests,
            Results = [.. results],
            Summary = new RewardSummary
            {
                Scored = scored.Count,
                InfraErrors = results.Count(r => r.Status == RewardStatus.InfraError),
                Invalid = results.Count(r => r.Status == RewardStatus.Invalid),
                MeanScore = scored.Count == 0 ? null : scored.Average(r => r.Score ?? 0),
            },
            ElapsedMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds,
        };
    }

    private static async Task<RewardResult> ScoreAsync(ExecutionHost host, RewardsWork work, RewardPlan plan, RequestScope scope)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        RewardResult Result(string status, double? score, string? outcome, int passed, string? error) => new()
        {
            Index = plan.Index, Status = status, Score = score, Outcome = outcome, PassedTests = passed,
            TotalTests = plan.SelectedTests, AvailableTests = plan.AvailableTests, Language = plan.Language, Grading = plan.Grading, Error = error,
            ElapsedMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds,
        };
        if (plan.Settled is { } s) return Result(s.Status, s.Status == RewardStatus.Scored ? 0 : null, s.Outcome, 0, s.Error);
        try
        {
            using var slot = await scope.EnterItemAsync().ConfigureAwait(false);
            var options = new JudgeOptions
            {
                // Binary scoring only needs to know whether every test passes: the first failure decides it.
                StopAtFirstFailure = work.Scoring == RewardsRequest.Binary,
                CpuTimePerTestOverride = work.CpuOverride,
            };
            var judged = await host.Judge.JudgeAsync(plan.Submission!, options, scope.Token).ConfigureAwait(false);
            host.Metrics.Verdict("rewards", judged.Outcome.ToString());
            // Binary: a real failure before any sandbox error settles the score at 0. Fraction: every test counts,
            // so one test the sandbox failed to run leaves the fraction unknown.
            var unknown = judged.IsInfrastructureError || (work.Scoring == RewardsRequest.Fraction && judged.HasSandboxErrors);
            if (unknown)
                return Result(RewardStatus.InfraError, null, nameof(TestOutcome.SandboxError), judged.PassedTests,
                    judged.Tests.FirstOrDefault(t => t.Outcome == TestOutcome.SandboxError)?.Message ?? judged.Message ?? "the sandbox failed; retry the item.");
            var score = work.Scoring == RewardsRequest.Binary ? (judged.Passed ? 1.0 : 0.0) : judged.PassFraction;
            return Result(RewardStatus.Scored, score, judged.Outcome.ToString(), judged.PassedTests, judged.Passed ? null : judged.Message);
        }
        catch (OperationCanceledException)
        {
            return Result(RewardStatus.InfraError, null, nameof(TestOutcome.SandboxError), 0, $"not judged: {scope.InterruptReason}; retry the item.");
        }
        catch (Exception e) when (e is SandboxException or ArgumentException)
        {
            // Refused before anything ran: the item's data (or code size) is at fault, not the infrastructure.
            return Result(RewardStatus.Invalid, null, null, 0, e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            host.Logger.LogError(e, "reward item {Index} failed", plan.Index);
            return Result(RewardStatus.InfraError, null, nameof(TestOutcome.SandboxError), 0, $"internal error: {e.GetType().Name}: {e.Message}; retry the item.");
        }
    }
}
