namespace Crucible.Curation;

/// <summary>The rollouts read from a file, and the rows that could not be read (with why).</summary>
public sealed record RolloutFile(IReadOnlyList<Rollout> Rollouts, IReadOnlyList<string> Problems);
