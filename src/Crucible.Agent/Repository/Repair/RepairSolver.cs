using Crucible.Agent.Models;
using Crucible.Agent.Repository.Map;
using Crucible.Agent.Repository.Verification;
using Crucible.Agent.Repository.Workspace;
using Crucible.Agent.Solving;

namespace Crucible.Agent.Repository.Repair;

/// <summary>
/// Runs a repository strategy on one issue in one workspace: builds the repository map (cached by file hash),
/// enforces the wall-time budget, turns budget exhaustion, model and sandbox failures into a stop reason (submitting
/// the best checked candidate, else the edits made so far), and returns the patch as a clean <c>git diff</c> of the
/// base plus the chosen change, with the reproduction test never part of it.
/// </summary>
public sealed class RepairSolver(IModelClient model, RepairOptions? options = null)
{
    private readonly RepairOptions _options = options ?? new RepairOptions();

    public RepairOptions Options => _options;

    /// <summary>Throws <see cref="ModelException"/> only for errors that would fail every later call the same way (bad key, URL, model).</summary>
    public async Task<RepairResult> SolveAsync(RepairIssue issue, IRepairWorkspace workspace, IRepairStrategy strategy, CancellationToken cancellationToken = default)
    {
        _options.Budget.Validate();
        _options.Settings.Validate();
        var trace = new SolveTrace
        {
            Header = new TraceHeader
            {
                ProblemId = issue.Id, Strategy = strategy.Name, Model = model.Model, Template = "repository", Language = "repository",
                Sampling = _options.Sampling, Budget = _options.Budget, StartedAt = DateTimeOffset.UtcNow, Repair = _options.Settings,
            },
        };
        var map = await new RepositoryMapBuilder(_options.SymbolCache).BuildAsync(workspace.Root, cancellationToken).ConfigureAwait(false);
        var context = new RepairContext(issue, workspace, map, _options, model, trace);
        context.Note("repository map built", new()
        {
            ["files"] = map.Stats.Files.ToString(), ["parsed"] = map.Stats.Parsed.ToString(), ["cache_hits"] = map.Stats.CacheHits.ToString(),
            ["ms"] = map.Stats.Elapsed.TotalMilliseconds.ToString("F0"), ["warnings"] = string.Join("; ", map.Stats.Warnings),
        });
        var (chosen, stop, error) = await StopReasons.RunAsync(ct => strategy.SolveAsync(context, ct), _options.Budget.MaxWallTime, cancellationToken).ConfigureAwait(false);
        if (stop != StopReason.Completed) context.Note($"stopped: {stop}", error is null ? null : new() { ["error"] = error });

        // Interrupted strategies submit the best checked candidate, else whatever edits are in the workspace.
        if (string.IsNullOrWhiteSpace(chosen)) chosen = context.Best?.Patch;
        if (string.IsNullOrWhiteSpace(chosen) && stop != StopReason.Completed) chosen = await workspace.DiffAsync(cancellationToken).ConfigureAwait(false);
        var patch = await CleanPatchAsync(workspace, chosen ?? "", cancellationToken).ConfigureAwait(false);

        CandidateCheck? check = null;
        if (patch.Length > 0 && context.Verifier is not null && stop != StopReason.InfrastructureError)
        {
            try { check = await context.Verifier.CheckAsync(context, patch, cancellationToken).ConfigureAwait(false); }
            catch (ExecutionUnavailableException e) { stop = StopReason.InfrastructureError; error = e.Message; }
        }
        var status = patch.Length == 0 ? RepairStatus.NoPatch
            : check is not { Checked: true } ? RepairStatus.Unverified
            : check.Passes ? RepairStatus.Verified : RepairStatus.FailsVerification;
        var usage = context.Usage;
        trace.Outcome = new TraceOutcome
        {
            Status = status switch
            {
                RepairStatus.Verified => SolveStatus.PassesPublicTests,
                RepairStatus.FailsVerification => SolveStatus.FailsPublicTests,
                RepairStatus.Unverified => SolveStatus.Unverified,
                _ => SolveStatus.NoCode,
            },
            StopReason = stop, Code = patch, Usage = usage, Error = error,
        };
        return new RepairResult
        {
            IssueId = issue.Id, Strategy = strategy.Name, Patch = patch, Status = status, StopReason = stop, Check = check,
            Usage = usage, Error = error, Trace = trace,
        };
    }

    /// <summary>The base plus <paramref name="patch"/>, diffed again by git: a clean patch without the reproduction test.</summary>
    private static async Task<string> CleanPatchAsync(IRepairWorkspace workspace, string patch, CancellationToken ct)
    {
        await workspace.ResetAsync(ct).ConfigureAwait(false);
        if (patch.Trim().Length == 0) return "";
        if (!await workspace.ApplyAsync(patch, ct).ConfigureAwait(false)) return "";
        workspace.Delete(CandidateVerifier.ReproductionFile);
        var clean = await workspace.DiffAsync(ct).ConfigureAwait(false);
        await workspace.ResetAsync(ct).ConfigureAwait(false);
        return clean;
    }
}
