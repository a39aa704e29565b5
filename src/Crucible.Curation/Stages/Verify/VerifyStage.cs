using System.Globalization;
using System.Text.Json;
using Crucible.Bench;
using Crucible.Judge;

namespace Crucible.Curation;

/// <summary>
/// Runs reference solutions on every test through an injectable <see cref="ISubmissionJudge"/> (the local sandbox, or
/// `crucible serve` instances), keeps the tests the reference passes in every one of <see cref="VerifyOptions.Runs"/>
/// runs, drops (or repairs) tests the reference consistently disagrees with, drops flaky tests whose outcome changes
/// between runs, and calibrates the CPU limit from the reference's time. A problem without a compiling reference, or
/// with no test left, is dropped with the reason. Infrastructure failures drop the problem for this run only: they are
/// not stored, so a rerun retries them. The judge must run every test (not stop at the first failure).
/// </summary>
public sealed class VerifyStage(ISubmissionJudge judge, VerifyOptions? options = null) : ICurationStage
{
    private readonly VerifyOptions _options = options ?? new VerifyOptions();

    public string Name => "verify";

    public async Task<StageOutcome> RunAsync(IReadOnlyList<CurationItem> items, CurationContext context, CancellationToken cancellationToken)
    {
        _options.Validate();
        var results = new (CurationItem? Kept, StageDecision Decision)[items.Count];
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                results[i] = await VerifyOneAsync(items[i], context.Store, ct).ConfigureAwait(false);
                var n = Interlocked.Increment(ref done);
                if (n % 50 == 0 || n == items.Count) context.Progress?.Report($"verify: {n}/{items.Count}");
            }).ConfigureAwait(false);
        return new StageOutcome(results.Where(r => r.Kept is not null).Select(r => r.Kept!).ToList(), results.Select(r => r.Decision).ToList());
    }

    private async Task<(CurationItem?, StageDecision)> VerifyOneAsync(CurationItem item, CurationStore store, CancellationToken ct)
    {
        var refs = OrderedReferences(item.Problem);
        if (refs.Count == 0)
            return (null, new StageDecision(Name, item.Key, false, "no reference solution", "the problem ships no reference solution to verify its tests with"));
        var key = ProblemJson.ContentHash(item.Problem) + "|" + _options.Fingerprint() + "|" + judge.Fingerprint(new Submission(item.Problem, refs[0].Language, refs[0].Code));
        var verdict = store.Get(Name, key) is { } stored ? JsonSerializer.Deserialize<VerifyVerdict>(stored)! : null;
        if (verdict is null)
        {
            verdict = await ComputeAsync(item.Problem, refs, ct).ConfigureAwait(false);
            if (!verdict.Infrastructure) store.Put(Name, key, JsonSerializer.Serialize(verdict));
        }
        var decision = new StageDecision(Name, item.Key, verdict.Kept, verdict.Reason, verdict.Detail) { Infrastructure = verdict.Infrastructure };
        return (verdict.Kept ? Apply(item, verdict) : null, decision);
    }

    private List<ReferenceSolution> OrderedReferences(Problem p) =>
        p.References.Where(r => !string.IsNullOrWhiteSpace(r.Code))
            .OrderBy(r => string.Equals(r.Language, p.Language, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .Take(_options.MaxReferences).ToList();

    private async Task<VerifyVerdict> ComputeAsync(Problem problem, List<ReferenceSolution> refs, CancellationToken ct)
    {
        // The reference runs under a generous limit; the calibrated limit is derived from what it used.
        var measured = _options.CalibrateTimeLimits
            ? problem with { Tests = problem.Tests.Select(t => t with { CpuTimeLimit = _options.Calibration.ReferenceLimit }).ToList() }
            : problem;
        (int Index, JudgeResult Result)? best = null;
        string? compileError = null;
        for (var r = 0; r < refs.Count; r++)
        {
            var result = await judge.JudgeAsync(new Submission(measured, refs[r].Language, refs[r].Code), ct).ConfigureAwait(false);
            if (Infra(result) is { } infra) return infra;
            if (result.Outcome == TestOutcome.CompileError || SyntaxFailure(result) is not null)
            {
                compileError ??= SyntaxFailure(result) ?? FirstLine(result.Tests.FirstOrDefault()?.Message ?? result.Message);
                continue;
            }
            if (best is null || result.PassedTests > best.Value.Result.PassedTests) best = (r, result);
            if (result.Passed) break;
        }
        if (best is not { } chosen)
            return new VerifyVerdict { Kept = false, Reason = "reference does not compile", Detail = $"{refs.Count} reference(s), none compiles: {compileError}" };

        var runs = new List<JudgeResult> { chosen.Result };
        for (var k = 1; k < _options.Runs; k++)
        {
            var again = await judge.JudgeAsync(new Submission(measured, refs[chosen.Index].Language, refs[chosen.Index].Code), ct).ConfigureAwait(false);
            if (Infra(again) is { } infra) return infra;
            runs.Add(again);
        }
        return Judge(problem, chosen.Index, runs);
    }

    /// <summary>
    /// Interpreted languages have no compile step, so a reference with a syntax error fails every test at start-up:
    /// that is a reference that does not compile, not a set of tests it disagrees with. Returns the error's line.
    /// </summary>
    private static string? SyntaxFailure(JudgeResult r)
    {
        if (r.Tests.Count == 0 || r.Tests.Any(t => t.Outcome != TestOutcome.RuntimeError)) return null;
        string[] markers = ["SyntaxError", "IndentationError", "TabError"];
        var texts = r.Tests.Select(t => (t.StderrPreview ?? "") + "\n" + (t.Message ?? "")).ToList();
        if (!texts.All(t => markers.Any(m => t.Contains(m, StringComparison.Ordinal)))) return null;
        return texts[0].Split('\n').Select(l => l.Trim()).FirstOrDefault(l => markers.Any(m => l.Contains(m, StringComparison.Ordinal)));
    }

    /// <summary>A result that says nothing about the problem because the sandbox (or the server) failed.</summary>
    private static VerifyVerdict? Infra(JudgeResult r) =>
        r.IsInfrastructureError || r.HasSandboxErrors
            ? new VerifyVerdict { Kept = false, Infrastructure = true, Reason = "infrastructure error", Detail = $"the sandbox failed ({FirstLine(r.Message ?? r.Tests.FirstOrDefault(t => t.Outcome == TestOutcome.SandboxError)?.Message)}); rerun to retry" }
            : null;

    private VerifyVerdict Judge(Problem problem, int reference, List<JudgeResult> runs)
    {
        var dropped = new Dictionary<int, string>();
        var repaired = new Dictionary<int, string>();
        for (var i = 0; i < problem.Tests.Count; i++)
        {
            var outcomes = runs.Select(r => Outcome(r, i)).ToList();
            if (outcomes.All(o => o == TestOutcome.Passed)) continue;
            if (outcomes.Distinct().Count() > 1)
            {
                dropped[i] = $"flaky: the reference's outcome changes between runs ({string.Join(", ", outcomes)})";
                continue;
            }
            if (outcomes[0] == TestOutcome.WrongAnswer && _options.Repair && problem.Tests[i] is StdioTest && RepairOutput(runs, i) is { } output)
            {
                repaired[i] = output;
                continue;
            }
            dropped[i] = outcomes[0] switch
            {
                TestOutcome.WrongAnswer => "expected output disagrees with the reference",
                TestOutcome.TimeLimitExceeded => "the reference exceeds the time limit",
                TestOutcome.Skipped => "not run (the judge stopped at the first failure)",
                var o => $"the reference fails it ({o})",
            };
        }
        var keptTests = Enumerable.Range(0, problem.Tests.Count).Where(i => !dropped.ContainsKey(i)).ToList();
        if (keptTests.Count > 0 && keptTests.Count < _options.MinTests)
            return new VerifyVerdict
            {
                Kept = false, Reason = "too few verified tests", ReferenceIndex = reference, DroppedTests = dropped,
                Detail = $"{keptTests.Count} of {problem.Tests.Count} tests agree with the reference, at least {_options.MinTests} required; dropped: {Summarize(dropped)}",
            };
        if (keptTests.Count == 0)
            return new VerifyVerdict
            {
                Kept = false, Reason = "no test agrees with the reference", ReferenceIndex = reference, DroppedTests = dropped,
                Detail = $"all {problem.Tests.Count} tests dropped: {Summarize(dropped)}",
            };
        var cpu = keptTests.Max(i => runs.Max(r => Cpu(r, i)));
        var limit = TimeSpan.FromTicks(Math.Max(_options.Calibration.Minimum.Ticks, (long)(cpu.Ticks * _options.Calibration.Factor)));
        var detail = $"{keptTests.Count}/{problem.Tests.Count} tests agree with the reference in {runs.Count} runs" +
                     (dropped.Count > 0 ? $"; dropped {dropped.Count}: {Summarize(dropped)}" : "") +
                     (repaired.Count > 0 ? $"; repaired {repaired.Count}" : "") +
                     (_options.CalibrateTimeLimits ? $"; reference CPU {cpu.TotalMilliseconds:0.#} ms → limit {limit.TotalMilliseconds:0} ms" : "");
        return new VerifyVerdict
        {
            Kept = true,
            Reason = dropped.Count > 0 ? "verified, tests dropped" : repaired.Count > 0 ? "verified, tests repaired" : "verified",
            Detail = detail, DroppedTests = dropped, RepairedTests = repaired, ReferenceIndex = reference,
            ReferenceCpuMs = cpu.TotalMilliseconds, TimeLimitMs = _options.CalibrateTimeLimits ? limit.TotalMilliseconds : null,
        };
    }

    private string? RepairOutput(List<JudgeResult> runs, int i)
    {
        var outputs = runs.Select(r => r.Tests.FirstOrDefault(t => t.Index == i)?.ActualPreview).Distinct().ToList();
        return outputs is [{ } only] && only.Length <= _options.MaxRepairChars ? only : null;
    }

    private static TestOutcome Outcome(JudgeResult r, int i) => r.Tests.FirstOrDefault(t => t.Index == i)?.Outcome ?? TestOutcome.Skipped;
    private static TimeSpan Cpu(JudgeResult r, int i) => r.Tests.FirstOrDefault(t => t.Index == i)?.CpuTime ?? TimeSpan.Zero;

    private static string Summarize(Dictionary<int, string> dropped) =>
        string.Join("; ", dropped.GroupBy(kv => kv.Value).Select(g => $"{g.Count()} × {g.Key}"));

    private static string FirstLine(string? s) => s is null ? "" : s.Split('\n', 2)[0].Trim();

    /// <summary>The problem as verification left it: disagreeing tests removed or repaired, limits calibrated.</summary>
    private CurationItem Apply(CurationItem item, VerifyVerdict v)
    {
        var p = item.Problem;
        var tests = new List<TestCase>();
        for (var i = 0; i < p.Tests.Count; i++)
        {
            if (v.DroppedTests.ContainsKey(i)) continue;
            tests.Add(v.RepairedTests.TryGetValue(i, out var output) && p.Tests[i] is StdioTest s ? s with { ExpectedOutput = output } : p.Tests[i]);
        }
        var refs = OrderedReferences(p);
        var chosen = v.ReferenceIndex < refs.Count ? refs[v.ReferenceIndex] : null;
        var problem = p with
        {
            Tests = tests,
            // The verified reference goes first, so writers that take one reference take the one that passed.
            References = chosen is null ? p.References : p.References.Where(r => r != chosen).Prepend(chosen).ToList(),
            Limits = v.TimeLimitMs is { } ms ? p.Limits with { CpuTimePerTest = TimeSpan.FromMilliseconds(ms) } : p.Limits,
        };
        var result = item with { Problem = problem };
        result = result.Annotate("verified_tests", tests.Count.ToString(CultureInfo.InvariantCulture));
        if (v.DroppedTests.Count > 0) result = result.Annotate("verify_dropped_tests", v.DroppedTests.Count.ToString(CultureInfo.InvariantCulture));
        if (v.RepairedTests.Count > 0) result = result.Annotate("verify_repaired_tests", v.RepairedTests.Count.ToString(CultureInfo.InvariantCulture));
        if (v.ReferenceCpuMs is { } cpu) result = result.Annotate("reference_cpu_ms", cpu.ToString("0.###", CultureInfo.InvariantCulture));
        if (v.TimeLimitMs is { } limit) result = result.Annotate("time_limit_ms", limit.ToString("0", CultureInfo.InvariantCulture));
        return result;
    }
}
