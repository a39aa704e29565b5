namespace Crucible.Bench;

/// <summary>How an evaluation runs.</summary>
public sealed record EvalOptions
{
    /// <summary>Submissions judged at once (each one sandbox session); defaults to the number of cores.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Whose verdicts score the run (HumanEval+/MBPP+ only; other datasets have one verdict).</summary>
    public Grader Grader { get; init; } = Grader.Strict;
}
