namespace Crucible.Curation;

/// <summary>One stage's row of the funnel: problems in, kept, dropped, and the drops by reason.</summary>
public sealed record FunnelRow
{
    public required string Stage { get; init; }
    public required int In { get; init; }
    public required int Kept { get; init; }
    public int Dropped => In - Kept;

    /// <summary>Dropped problems by <see cref="StageDecision.Reason"/>, most frequent first.</summary>
    public required IReadOnlyList<KeyValuePair<string, int>> DropReasons { get; init; }

    /// <summary>Drops that were the infrastructure's fault (retried on rerun).</summary>
    public int InfrastructureDrops { get; init; }
    public TimeSpan Elapsed { get; init; }
}
