namespace Crucible.Agent.Repository.Editing;

/// <summary>Checks edited files before they are written: anything returned refuses the whole answer's edits.</summary>
public interface IEditGuard
{
    Task<IReadOnlyList<string>> CheckAsync(IReadOnlyList<FileChange> changes, CancellationToken cancellationToken);
}
