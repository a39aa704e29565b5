using Crucible.Agent.Models;

namespace Crucible.Agent.Solving;

/// <summary>
/// How a run's strategy ending in an exception becomes a stop reason, the same for function and repository runs:
/// exhausted budgets and the wall clock, model failures that are not fatal for the whole run, and sandbox failures.
/// Anything else (the caller's own cancellation, fatal model errors, bugs) is not a stop reason and propagates.
/// </summary>
public static class StopReasons
{
    /// <summary>
    /// Runs <paramref name="run"/> under the wall-time budget and turns the exceptions that are stop reasons into one,
    /// so the caller keeps what was found so far. Completed runs return the result with <see cref="StopReason.Completed"/>.
    /// </summary>
    public static async Task<(T? Result, StopReason Stop, string? Error)> RunAsync<T>(Func<CancellationToken, Task<T?>> run, TimeSpan? wallTime, CancellationToken caller)
        where T : class
    {
        using var wall = CancellationTokenSource.CreateLinkedTokenSource(caller);
        if (wallTime is { } limit) wall.CancelAfter(limit);
        try
        {
            return (await run(wall.Token).ConfigureAwait(false), StopReason.Completed, null);
        }
        catch (Exception e) when (Classify(e, caller, wall.Token) is { } s)
        {
            return (null, s.Reason, s.Error);
        }
    }

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
