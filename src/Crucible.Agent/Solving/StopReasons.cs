using Crucible.Agent.Models;

namespace Crucible.Agent.Solving;

/// <summary>
/// How a run's strategy ending in an exception becomes a stop reason, the same for function and repository runs:
/// exhausted budgets and the wall clock, model failures that are not fatal for the whole run, and sandbox failures.
/// Anything else (the caller's own cancellation, fatal model errors, bugs) is not a stop reason and propagates.
/// </summary>
public static class StopReasons
{
    /// <summary>The stop reason and error message for <paramref name="e"/>, or null when it must propagate.</summary>
    public static (StopReason Reason, string? Error)? Classify(Exception e, CancellationToken caller, CancellationToken wall) => e switch
    {
        BudgetExhaustedException b => (b.Kind switch
        {
            BudgetKind.Samples => StopReason.SamplesExhausted,
            BudgetKind.Rounds => StopReason.RoundsExhausted,
            BudgetKind.Tokens => StopReason.TokensExhausted,
            _ => StopReason.WallTimeExhausted,
        }, null),
        OperationCanceledException when !caller.IsCancellationRequested && wall.IsCancellationRequested => (StopReason.WallTimeExhausted, null),
        ModelException m when !m.IsFatalForRun => (m.Kind == ModelErrorKind.ContextOverflow ? StopReason.ContextOverflow : StopReason.ModelError, m.Message),
        ExecutionUnavailableException x => (StopReason.InfrastructureError, x.Message),
        _ => null,
    };
}
