namespace Crucible.Bench;

/// <summary>The finished evaluation of a sample set against a dataset: every sample with its result.</summary>
public sealed class EvalRun
{
    public required Dataset Dataset { get; init; }
    public required SampleSet Samples { get; init; }
    public required IReadOnlyList<SampleOutcome> Outcomes { get; init; }

    /// <summary>Distinct submissions judged in this run.</summary>
    public int Judged { get; init; }

    /// <summary>Distinct submissions whose result came from the store.</summary>
    public int Reused { get; init; }

    public TimeSpan Elapsed { get; init; }

    /// <summary>Whose verdicts scored the run.</summary>
    public Grader Grader { get; init; } = Grader.Strict;

    /// <summary>Samples whose result is an infrastructure error (not scored; rerun to retry).</summary>
    public int InfrastructureErrors => Outcomes.Count(o => o.Result.IsInfrastructureError);
}
