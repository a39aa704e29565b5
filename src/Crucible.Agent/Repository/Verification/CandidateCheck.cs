namespace Crucible.Agent.Repository.Verification;

/// <summary>
/// One candidate patch's verification: regression tests (passing at base) that now fail, and whether the reproduction
/// test (failing at base) now passes. Null fields mean "not checked" (no reproduction test, no regression tests).
/// </summary>
public sealed record CandidateCheck
{
    public required string Patch { get; init; }
    public IReadOnlyList<string> Regressions { get; init; } = [];
    public int RegressionTotal { get; init; }

    /// <summary>True/false when a reproduction test exists; null without one.</summary>
    public bool? ReproductionPasses { get; init; }

    /// <summary>Failing tests with their log, for feeding back to the model.</summary>
    public string FailureReport { get; init; } = "";

    public bool Checked => RegressionTotal > 0 || ReproductionPasses is not null;
    public bool Passes => Regressions.Count == 0 && ReproductionPasses != false;
}
