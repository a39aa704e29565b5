namespace Crucible.Agent.Repository.Editing;

/// <summary>
/// One edit the model asked for: replace <see cref="Search"/> with <see cref="Replace"/> in <see cref="Path"/>. A
/// SEARCH/REPLACE block is one edit; a unified diff hunk is one edit (its context and removed lines are the search,
/// its context and added lines the replacement; line numbers are ignored). An empty search creates the file (or
/// appends to it).
/// </summary>
public sealed record FileEdit
{
    public required string Path { get; init; }
    public string Search { get; init; } = "";
    public string Replace { get; init; } = "";

    /// <summary>The diff removes the file (<c>+++ /dev/null</c>).</summary>
    public bool DeletesFile { get; init; }

    /// <summary>Where the edit came from in the answer, for messages: "SEARCH/REPLACE block 2", "diff hunk 1 of a.py".</summary>
    public string Origin { get; init; } = "";
}
