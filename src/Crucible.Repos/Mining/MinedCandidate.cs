namespace Crucible.Repos.Mining;

/// <summary>What is known about a fix commit when its problem statement is written.</summary>
public sealed record MinedCandidate
{
    public required string Repo { get; init; }
    public required string Commit { get; init; }
    public required string Subject { get; init; }

    /// <summary>The source change (what a solver must rediscover; a statement must not give it away).</summary>
    public required string GoldPatch { get; init; }
    public required string TestPatch { get; init; }
    public required IReadOnlyList<string> FailToPass { get; init; }

    /// <summary>Tail of the failing run's output at the base (assertion messages).</summary>
    public string FailingLog { get; init; } = "";
}
