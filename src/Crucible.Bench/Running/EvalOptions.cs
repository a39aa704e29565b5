namespace Crucible.Bench;

/// <summary>How an evaluation runs.</summary>
public sealed record EvalOptions
{
    /// <summary>Submissions judged at once (each one sandbox session); defaults to the number of cores.</summary>
    /// <summary>
    /// Submissions judged at once: one more than the cores. A submission alternates between the host (its request, its
    /// results) and its sandbox, with hand-offs between; with one per core about a fifth of the machine sat idle while
    /// judging (bench/ evalplus-scale, docs/evalplus.md "Session 8").
    /// </summary>
    public int Parallelism { get; init; } = DefaultParallelism;

    /// <summary>The default of <see cref="Parallelism"/>.</summary>
    public static int DefaultParallelism => Environment.ProcessorCount + 1;

    /// <summary>Whose verdicts score the run (HumanEval+/MBPP+ only; other datasets have one verdict).</summary>
    public Grader Grader { get; init; } = Grader.Strict;
}
