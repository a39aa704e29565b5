namespace Crucible.Curation;

/// <summary>
/// Why a stage kept or dropped one problem: the provenance record. <see cref="Reason"/> is a short category the funnel
/// counts (e.g. <c>near-duplicate</c>); <see cref="Detail"/> says the specifics (of which problem, how similar).
/// </summary>
/// <param name="Stage">The stage's name.</param>
/// <param name="Key">The problem's <see cref="CurationItem.Key"/> (or the row's location when no problem could be read).</param>
/// <param name="Kept">True when the problem goes on to the next stage.</param>
/// <param name="Reason">Category for counting.</param>
/// <param name="Detail">Specifics, for the reader.</param>
public sealed record StageDecision(string Stage, string Key, bool Kept, string Reason, string? Detail = null)
{
    /// <summary>
    /// True when the drop is the infrastructure's fault (sandbox, model server), not the problem's; such drops are not
    /// cached, so a rerun retries them.
    /// </summary>
    public bool Infrastructure { get; init; }
}
