namespace Crucible.Curation;

/// <summary>
/// One named, optional step of the curation pipeline. A stage sees the problems the previous stage kept and returns a
/// decision for every one of them (kept or dropped, and why); it may write extra files into its own folder.
/// </summary>
public interface ICurationStage
{
    /// <summary>Short name: the stage's folder and its row in the funnel.</summary>
    string Name { get; }

    Task<StageOutcome> RunAsync(IReadOnlyList<CurationItem> items, CurationContext context, CancellationToken cancellationToken);
}
