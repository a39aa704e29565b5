namespace Crucible.Agent.Repository.Workspace;

/// <summary>
/// The repository at its base state, where the agent edits and tests: a fresh git repository whose only commit is the
/// base tree (no history to read the fix from). Tests run in the sandbox.
/// </summary>
public interface IRepairWorkspace : IWorkingFiles
{
    /// <summary>The working tree's changes against the base, as a git diff (always what is submitted).</summary>
    Task<string> DiffAsync(CancellationToken cancellationToken);

    /// <summary>Puts every file back to the base state (drops edits and files the agent or tests created).</summary>
    Task ResetAsync(CancellationToken cancellationToken);

    /// <summary>Applies a patch made by <see cref="DiffAsync"/> to the base state; false when it does not apply.</summary>
    Task<bool> ApplyAsync(string patch, CancellationToken cancellationToken);

    /// <summary>Runs the given test files or node ids in the sandbox.</summary>
    Task<RepairTestRun> RunTestsAsync(IReadOnlyList<string> tests, CancellationToken cancellationToken);
}
