using System.Collections.Concurrent;
using Crucible.Bench;
using Crucible.Judge;
using TestResult = Crucible.Judge.TestResult;

namespace Crucible.Curation.Tests;

/// <summary>
/// A judge without a sandbox whose "programs" are words with a fixed meaning, so verification logic is tested
/// exactly: <c>SUM</c> prints the sum of the integers of its input; <c>NOCOMPILE</c> does not compile; <c>INFRA</c>
/// is a sandbox failure; <c>FLAKY</c> behaves like SUM but fails test 0 on every other call; <c>PASS</c>/<c>FAIL</c>
/// pass or fail everything (for model samples).
/// </summary>
internal sealed class ReferenceSemanticsJudge : ISubmissionJudge
{
    private int _flakyCalls;

    public ConcurrentQueue<string> Calls { get; } = new();
    public bool FailInfrastructure { get; set; } = true;

    public Task<JudgeResult> JudgeAsync(Submission submission, CancellationToken cancellationToken)
    {
        var code = submission.Code.Trim();
        Calls.Enqueue(submission.Problem.Id + "|" + code);
        var tests = submission.Problem.Tests;
        if (code == "NOCOMPILE")
            return Task.FromResult(new JudgeResult { Outcome = TestOutcome.CompileError, TotalTests = tests.Count, Message = "SyntaxError: invalid syntax" });
        if (code == "INFRA" && FailInfrastructure)
            return Task.FromResult(new JudgeResult { Outcome = TestOutcome.SandboxError, TotalTests = tests.Count, Message = "sandbox unavailable" });
        var flakyFails = code == "FLAKY" && Interlocked.Increment(ref _flakyCalls) % 2 == 0;
        var results = tests.Select((t, i) =>
        {
            var actual = t is StdioTest s ? Sum(s.Input) + "\n" : "";
            var passed = code switch
            {
                "PASS" or "INFRA" => true,
                "FAIL" => false,
                "FLAKY" when i == 0 && flakyFails => false,
                _ => t is StdioTest st && st.ExpectedOutput.Trim() == actual.Trim(),
            };
            return new TestResult
            {
                Index = i, Outcome = passed ? TestOutcome.Passed : TestOutcome.WrongAnswer, ActualPreview = actual,
                CpuTime = TimeSpan.FromMilliseconds(100 + 10 * i), Message = passed ? null : "wrong answer",
            };
        }).ToList();
        var first = results.FirstOrDefault(r => r.Outcome != TestOutcome.Passed);
        return Task.FromResult(new JudgeResult { Outcome = first?.Outcome ?? TestOutcome.Passed, Tests = results, TotalTests = tests.Count });
    }

    private static long Sum(string input) => input.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Sum(long.Parse);

    public string Fingerprint(Submission submission) => "semantics-1";
}
