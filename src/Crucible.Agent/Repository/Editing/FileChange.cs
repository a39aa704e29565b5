namespace Crucible.Agent.Repository.Editing;

/// <summary>A file's text before and after an answer's edits (<see cref="Before"/> null: created; <see cref="After"/> null: deleted).</summary>
public sealed record FileChange(string Path, string? Before, string? After);
