namespace Crucible.Agent.Repository.Editing;

/// <summary>The edits found in a model answer, and what could not be read (told back to the model).</summary>
public sealed record ParsedEdits(IReadOnlyList<FileEdit> Edits, IReadOnlyList<string> Problems)
{
    public bool IsEmpty => Edits.Count == 0;
}
