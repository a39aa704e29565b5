namespace Crucible.Agent.Solving;

/// <summary>A repository edit: which edits of an answer applied (and how loosely), which failed, what the lint guard refused, which files changed.</summary>
public sealed record EditEvent : TraceEvent
{
    public IReadOnlyList<string> Applied { get; init; } = [];
    public IReadOnlyList<string> Failures { get; init; } = [];
    public IReadOnlyList<string> Refusals { get; init; } = [];
    public IReadOnlyList<string> ChangedFiles { get; init; } = [];
}
