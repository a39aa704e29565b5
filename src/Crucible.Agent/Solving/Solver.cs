using Crucible.Agent.Extraction;
using Crucible.Agent.Feedback;
using Crucible.Agent.Models;
using Crucible.Judge;

namespace Crucible.Agent.Solving;

/// <summary>
/// Runs a strategy on a problem: builds the context, enforces the wall-time budget, turns budget exhaustion, context
/// overflow and model or sandbox failures into a stop reason (returning the best candidate so far, never losing it),
/// checks the chosen code on the public tests, and closes the trace.
/// </summary>
public sealed class Solver(IModelClient model, IExecutionFeedback feedback, SolverOptions? options = null)
{
    private readonly SolverOptions _options = options ?? new SolverOptions();

    public SolverOptions Options => _options;

    /// <summary>
    /// Solves <paramref name="problem"/> with <paramref name="strategy"/>. Throws <see cref="ModelException"/> only for errors
    /// that would fail every later call the same way (<see cref="ModelException.IsFatalForRun"/>: bad key, URL, model).
    /// </summary>
    public async Task<SolveResult> SolveAsync(Problem problem, ISolveStrategy strategy, CancellationToken cancellationToken = default)
    {
        _options.Budget.Validate();
        var language = CodeLanguages.Canonical(_options.Language ?? problem.Language);
        var trace = new SolveTrace
        {
            Header = new TraceHeader
            {
                ProblemId = problem.Id, Strategy = strategy.Name, Settings = _options.Settings, Model = model.Model,
                Template = _options.Template.Name, Language = language, Sampling = _options.Sampling, Budget = _options.Budget,
                StartedAt = DateTimeOffset.UtcNow,
            },
        };
        var context = new SolveContext(problem, language, _options, model, feedback, trace);
        var (chosen, stop, error) = await StopReasons.RunAsync(ct => strategy.SolveAsync(context, ct), _options.Budget.MaxWallTime, cancellationToken).ConfigureAwait(false);
        if (stop != StopReason.Completed)
            context.Note($"stopped: {stop}", error is null ? null : new() { ["error"] = error });

        chosen ??= context.Best;
        if (chosen is { HasCode: true, PublicReport: null } && context.HasPublicTests && stop != StopReason.InfrastructureError)
        {
            // The status must rest on an actual run, even when the strategy returned an untested candidate. The wall
            // budget is spent by now, so this check runs under the caller's token only.
            try { await context.TestPublicAsync(chosen, cancellationToken).ConfigureAwait(false); }
            catch (ExecutionUnavailableException e) { stop = StopReason.InfrastructureError; error = e.Message; }
        }

        var status = chosen is not { HasCode: true } ? SolveStatus.NoCode
            : !context.HasPublicTests ? SolveStatus.Unverified
            : chosen.PassesPublicTests ? SolveStatus.PassesPublicTests
            : SolveStatus.FailsPublicTests;
        var usage = context.Usage;
        trace.Outcome = new TraceOutcome { Status = status, StopReason = stop, CandidateId = chosen?.Id, Code = chosen?.Code, Usage = usage, Error = error };
        return new SolveResult
        {
            ProblemId = problem.Id, Strategy = strategy.Name, Status = status, StopReason = stop,
            Code = chosen?.HasCode == true ? chosen.Code : "", Candidate = chosen,
            PublicPassed = chosen?.PublicPassed ?? 0, PublicTotal = context.PublicTests.Count,
            Usage = usage, Error = error, Trace = trace,
        };
    }
}
