using Crucible.Judge;

namespace Crucible.Bench;

/// <summary>
/// The stored verdict of one distinct submission (identical samples share it), compact enough to keep one row per
/// sample of a large run: totals, one letter per test, and the first failure's details.
/// </summary>
public sealed record SampleResult
{
    /// <summary>Content hash of (problem, language, code, judge fingerprint): see <see cref="ResultKey"/>.</summary>
    public required string Key { get; init; }
    public required string ProblemId { get; init; }
    public required string Language { get; init; }
    public required TestOutcome Outcome { get; init; }
    public int PassedTests { get; init; }
    public int TotalTests { get; init; }

    /// <summary>
    /// One letter per test in test order: see <see cref="OutcomeLetter"/>; two more record where EvalPlus's official
    /// grader decides differently from the strict one: 'a' (strict wrong answer, officially accepted — e.g. an object
    /// whose <c>__eq__</c> always answers True) and 'r' (strict pass, officially rejected — e.g. a NumPy array); and
    /// 'x', 't', 'm', 'o' are a runtime error, time, memory or output limit that ended the test's process before it
    /// reported the test (<see cref="TestResult.ProcessEnded"/>); 'l' and 'k' a runtime error or time limit while the
    /// solution loaded, so the test never ran (<see cref="TestResult.SolutionNotLoaded"/>).
    /// </summary>
    public string TestOutcomes { get; init; } = "";

    /// <summary>CPU time summed over the tests that ran.</summary>
    public double CpuSeconds { get; init; }
    public double WallSeconds { get; init; }
    public long PeakMemoryBytes { get; init; }
    public string? Message { get; init; }
    public int? FirstFailedTest { get; init; }
    public string? Expected { get; init; }
    public string? Actual { get; init; }

    /// <summary>Wall time the judge spent on the submission, compile included.</summary>
    public double ElapsedSeconds { get; init; }
    public DateTimeOffset JudgedAt { get; init; }

    public bool Passed => Outcome == TestOutcome.Passed;

    /// <summary>Infrastructure failure: never scored, re-judged on the next run.</summary>
    public bool IsInfrastructureError => Outcome == TestOutcome.SandboxError;

    /// <summary>Counts in scores: not an infrastructure error, and its problem had tests to judge it by.</summary>
    public bool IsScored => !IsInfrastructureError && TotalTests > 0;

    /// <summary>Whether the two graders disagree on some test of this sample.</summary>
    public bool GradersDiffer => TestOutcomes.AsSpan().IndexOfAny('a', 'r') >= 0;

    public static char OutcomeLetter(TestOutcome o) => o switch
    {
        TestOutcome.Passed => 'P',
        TestOutcome.WrongAnswer => 'W',
        TestOutcome.RuntimeError => 'R',
        TestOutcome.TimeLimitExceeded => 'T',
        TestOutcome.MemoryLimitExceeded => 'M',
        TestOutcome.OutputLimitExceeded => 'O',
        TestOutcome.CompileError => 'C',
        TestOutcome.SandboxError => 'S',
        _ => '-',
    };

    /// <summary>Outcome of test <paramref name="index"/> under <paramref name="grader"/>.</summary>
    public TestOutcome OutcomeOf(int index, Grader grader) => grader == Grader.EvalPlus && index < TestOutcomes.Length
        ? TestOutcomes[index] switch { 'a' => TestOutcome.Passed, 'r' => TestOutcome.WrongAnswer, _ => OutcomeOf(index) }
        : OutcomeOf(index);

    /// <summary>Strict outcome of test <paramref name="index"/>, or Skipped when it did not run.</summary>
    public TestOutcome OutcomeOf(int index) => index < TestOutcomes.Length ? TestOutcomes[index] switch
    {
        'P' or 'r' => TestOutcome.Passed,
        'a' => TestOutcome.WrongAnswer,
        'W' => TestOutcome.WrongAnswer,
        'R' or 'x' or 'l' => TestOutcome.RuntimeError,
        'T' or 't' or 'k' => TestOutcome.TimeLimitExceeded,
        'M' or 'm' => TestOutcome.MemoryLimitExceeded,
        'O' or 'o' => TestOutcome.OutputLimitExceeded,
        'C' => TestOutcome.CompileError,
        'S' => TestOutcome.SandboxError,
        _ => TestOutcome.Skipped,
    } : TestOutcome.Skipped;

    public static SampleResult From(string key, Submission submission, JudgeResult result, TimeSpan elapsed, Grader grader = Grader.Strict)
    {
        var total = Math.Max(result.TotalTests, submission.Problem.Tests.Count);
        var letters = new char[total];
        Array.Fill(letters, result.Outcome == TestOutcome.CompileError ? 'C' : '-');
        foreach (var t in result.Tests)
            if (t.Index >= 0 && t.Index < total) letters[t.Index] = Letter(t);
        var first = result.Tests.Where(t => t.Outcome != TestOutcome.Passed && t.Outcome != TestOutcome.Skipped).OrderBy(t => t.Index).FirstOrDefault();
        var sample = new SampleResult
        {
            Key = key,
            ProblemId = submission.Problem.Id,
            Language = submission.Language,
            Outcome = result.Outcome,
            PassedTests = result.PassedTests,
            TotalTests = total,
            TestOutcomes = new string(letters),
            CpuSeconds = result.Tests.Sum(t => t.CpuTime.TotalSeconds),
            WallSeconds = result.Tests.Sum(t => t.WallTime.TotalSeconds),
            PeakMemoryBytes = result.Tests.Count == 0 ? 0 : result.Tests.Max(t => t.PeakMemoryBytes),
            Message = Clip(first?.Message ?? result.Message ?? (result.Compile is { Succeeded: false } c ? c.Output : null), 2000),
            FirstFailedTest = first?.Index,
            Expected = Clip(first?.ExpectedPreview, 500),
            Actual = Clip(first?.ActualPreview ?? first?.StderrPreview, 500),
            ElapsedSeconds = elapsed.TotalSeconds,
            JudgedAt = DateTimeOffset.UtcNow,
        };
        return EvalPlusSplits.IsSplit(submission.Problem) ? EvalPlusSplits.Graded(submission.Problem, sample, grader) : sample;
    }

    /// <summary>Whether test <paramref name="index"/>'s verdict came from the end of its process (see <see cref="TestOutcomes"/>).</summary>
    public bool EndedItsProcess(int index) => index < TestOutcomes.Length && TestOutcomes[index] is 'x' or 't' or 'm' or 'o';

    /// <summary>
    /// Whether test <paramref name="index"/> ran and its process reported it: not skipped, not left unrun by a
    /// solution that did not load, not ended with its process.
    /// </summary>
    public bool Reported(int index) => index < TestOutcomes.Length && TestOutcomes[index] is not ('-' or 'C' or 'l' or 'k') && !EndedItsProcess(index);

    private static char Letter(TestResult t) => (t.Outcome, t.OfficialOutcome) switch
    {
        (TestOutcome.WrongAnswer, TestOutcome.Passed) => 'a',
        (TestOutcome.Passed, { } official) when official != TestOutcome.Passed => 'r',
        (TestOutcome.RuntimeError, _) when t.ProcessEnded => 'x',
        (TestOutcome.TimeLimitExceeded, _) when t.ProcessEnded => 't',
        (TestOutcome.MemoryLimitExceeded, _) when t.ProcessEnded => 'm',
        (TestOutcome.OutputLimitExceeded, _) when t.ProcessEnded => 'o',
        (TestOutcome.RuntimeError, _) when t.SolutionNotLoaded => 'l',
        (TestOutcome.TimeLimitExceeded, _) when t.SolutionNotLoaded => 'k',
        _ => OutcomeLetter(t.Outcome),
    };

    private static string? Clip(string? s, int max) => s is null || s.Length <= max ? s : s[..max] + "…";
}
