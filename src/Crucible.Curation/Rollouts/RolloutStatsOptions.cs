namespace Crucible.Curation;

/// <summary>How rollouts are summarised.</summary>
public sealed record RolloutStatsOptions
{
    /// <summary>ε of the GRPO normalisation (verl: 1e-6).</summary>
    public double Epsilon { get; init; } = 1e-6;

    /// <summary>A reward at or above this counts as solved (pass@k, zero-variance split, re-judging).</summary>
    public double PassThreshold { get; init; } = 1.0;

    /// <summary>pass@k values reported (each only for groups with at least k responses).</summary>
    public IReadOnlyList<int> Ks { get; init; } = [1, 4, 8, 16];

    /// <summary>Bins of response length for reward-vs-length.</summary>
    public int LengthBins { get; init; } = 8;
}
