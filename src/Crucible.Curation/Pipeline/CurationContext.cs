namespace Crucible.Curation;

/// <summary>What a stage may use besides its input: its own output folder, the resume store, a progress sink.</summary>
public sealed class CurationContext
{
    public required string StageDirectory { get; init; }
    public required CurationStore Store { get; init; }

    /// <summary>Short progress lines (e.g. "verify: 120/400"); null for silence.</summary>
    public IProgress<string>? Progress { get; init; }
}
