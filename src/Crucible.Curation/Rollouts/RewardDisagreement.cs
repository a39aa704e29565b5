namespace Crucible.Curation;

/// <summary>A response whose trainer reward and Crucible's verdict disagree.</summary>
public sealed record RewardDisagreement
{
    public required string PromptId { get; init; }
    public required string Location { get; init; }
    public required double TrainerReward { get; init; }
    public required bool CruciblePassed { get; init; }
    public required string CrucibleOutcome { get; init; }
    public string? Message { get; init; }
}
