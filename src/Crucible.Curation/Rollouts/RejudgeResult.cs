namespace Crucible.Curation;

/// <summary>What re-judging found: responses judged, those that could not be, and the disagreements.</summary>
public sealed record RejudgeResult(int Judged, int Unjudgeable, IReadOnlyList<RewardDisagreement> Disagreements, IReadOnlyList<string> Notes);
