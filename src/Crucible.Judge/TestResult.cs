namespace Crucible.Judge;

/// <summary>The outcome of one test, with usage and short previews of expected and actual output.</summary>
public sealed record TestResult
{
    /// <summary>Position of the test in <see cref="Problem.Tests"/>.</summary>
    public required int Index { get; init; }
    public required TestOutcome Outcome { get; init; }

    /// <summary>The test's <see cref="TestCase.Name"/>, when it has one.</summary>
    public string? Name { get; init; }

    /// <summary>Why the test did not pass (or what the checker said), in words.</summary>
    public string? Message { get; init; }

    /// <summary>
    /// CPU time the test took: the whole process for tests run alone; the call itself for tests run in a batch
    /// (measured inside the sandbox, see docs/judge.md).
    /// </summary>
    public TimeSpan CpuTime { get; init; }
    public TimeSpan WallTime { get; init; }

    /// <summary>Peak memory of the process that ran the test (for a batch, of the whole batch).</summary>
    public long PeakMemoryBytes { get; init; }
    public string? ExpectedPreview { get; init; }
    public string? ActualPreview { get; init; }
    public string? StderrPreview { get; init; }

    /// <summary>True when the test ran inside a batch process with other tests.</summary>
    public bool Batched { get; init; }

    /// <summary>
    /// True when the verdict comes from the end of the process that ran the test (it exited, crashed or was killed by
    /// a limit before it reported the test), not from the test's own report (a wrong value, an exception the call
    /// raised, the in-process CPU alarm). EvalPlus tells the two apart: its <c>timeout</c> status means the evaluation
    /// process had to be given up.
    /// </summary>
    public bool ProcessEnded { get; init; }

    /// <summary>True when the test never ran because the solution did not load (syntax, an exception, a limit).</summary>
    public bool SolutionNotLoaded { get; init; }

    /// <summary>
    /// For EvalPlus tests (<see cref="FunctionCallTest.EvalPlus"/>) where the official grader decides differently from
    /// <see cref="Outcome"/> (e.g. it accepts an object whose <c>__eq__</c> always answers True): its verdict, else null.
    /// </summary>
    public TestOutcome? OfficialOutcome { get; init; }
}
