namespace Crucible.Repos.Patching;

/// <summary>
/// What happened to a patch: applied (and by which step of the chain) or not applied, with the tools' own words.
/// A patch that does not apply is the patch's fault, never an infrastructure error.
/// </summary>
public sealed record PatchOutcome
{
    public required bool Applied { get; init; }

    /// <summary><c>empty</c>, <c>git-apply</c>, <c>git-apply-reject</c>, <c>patch-fuzz</c>, or null when not applied.</summary>
    public string? Method { get; init; }

    /// <summary>Output of the tools that tried, for the log.</summary>
    public string Log { get; init; } = "";

    /// <summary>Set when the sandbox itself failed (not the patch); the caller reports an infrastructure error.</summary>
    public string? InfrastructureError { get; init; }

    public static PatchOutcome NotApplied(string why) => new() { Applied = false, Log = why };
}
