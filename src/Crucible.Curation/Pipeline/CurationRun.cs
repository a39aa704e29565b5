namespace Crucible.Curation;

/// <summary>The result of a curation run: the funnel, every decision (provenance), and the problems that made it through.</summary>
public sealed record CurationRun
{
    public required IReadOnlyList<FunnelRow> Funnel { get; init; }
    public required IReadOnlyList<StageDecision> Decisions { get; init; }
    public required IReadOnlyList<CurationItem> Final { get; init; }

    /// <summary>Every problem read at the start (after normalize), for histograms of what was dropped.</summary>
    public required IReadOnlyList<CurationItem> Normalized { get; init; }
    public required string OutputDirectory { get; init; }
    public TimeSpan Elapsed { get; init; }

    /// <summary>The decisions about one problem, in stage order.</summary>
    public IEnumerable<StageDecision> Provenance(string key) => Decisions.Where(d => d.Key == key);
}
