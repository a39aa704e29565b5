namespace Crucible.Curation;

/// <summary>What one stage did: the problems it passes on, and one decision per problem it saw.</summary>
public sealed record StageOutcome(IReadOnlyList<CurationItem> Kept, IReadOnlyList<StageDecision> Decisions);
