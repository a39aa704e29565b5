namespace Crucible.Agent.Repository.Repair;

/// <summary>
/// A repository strategy: how to spend model calls, edits and test runs on one issue. Everything goes through the
/// <see cref="RepairContext"/>; a strategy may simply stop when it throws <see cref="Solving.BudgetExhaustedException"/>:
/// the solver then submits the best checked candidate so far.
/// </summary>
public interface IRepairStrategy
{
    string Name { get; }

    /// <summary>Returns the chosen patch (a diff made by the workspace), or null when nothing applied.</summary>
    Task<string?> SolveAsync(RepairContext context, CancellationToken cancellationToken);
}
