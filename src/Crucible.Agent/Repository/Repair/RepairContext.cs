using System.Diagnostics;
using Crucible.Agent.Models;
using Crucible.Agent.Repository.Editing;
using Crucible.Agent.Repository.Localization;
using Crucible.Agent.Repository.Map;
using Crucible.Agent.Repository.Verification;
using Crucible.Agent.Repository.Workspace;
using Crucible.Agent.Solving;

namespace Crucible.Agent.Repository.Repair;

/// <summary>
/// What a repository strategy works with: the issue, the workspace (base tree, edits, sandboxed tests), the repository
/// map, the model through the budgeted <see cref="ModelCallLedger"/>, the editor with its lint guard, and the trace.
/// Every model call, edit and test run goes through here, so budgets hold and every step is recorded.
/// </summary>
public sealed class RepairContext
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly ModelCallLedger _calls;
    private readonly RepairOptions _options;
    private readonly Lock _gate = new();
    private int _rounds, _testRuns, _steps;
    private CandidateCheck? _best;
    private Localization.Localization? _localization;

    internal RepairContext(RepairIssue issue, IRepairWorkspace workspace, RepositoryMap map, RepairOptions options, IModelClient model, SolveTrace trace)
    {
        Issue = issue;
        Workspace = workspace;
        Map = map;
        _options = options;
        Trace = trace;
        _calls = new ModelCallLedger(model, options.Budget, trace, _started);
        Editor = new EditApplier(new SyntaxGuard());
    }

    public RepairIssue Issue { get; }
    public IRepairWorkspace Workspace { get; }
    public RepositoryMap Map { get; }
    public RepairSettings Settings => _options.Settings;
    public SamplingOptions Sampling => _options.Sampling;
    public SolveBudget Budget => _options.Budget;
    public SolveTrace Trace { get; }
    public EditApplier Editor { get; }

    /// <summary>Set up by the solver before the strategy runs when verification is on; null otherwise.</summary>
    public CandidateVerifier? Verifier { get; internal set; }

    /// <summary>The best checked candidate so far (fewest regressions, then reproduction passing).</summary>
    public CandidateCheck? Best { get { lock (_gate) return _best; } }

    public SolveUsage Usage => new()
    {
        Samples = _calls.Samples, Rounds = Volatile.Read(ref _rounds), PromptTokens = _calls.PromptTokens, CompletionTokens = _calls.CompletionTokens,
        ModelAttempts = _calls.Attempts, Executions = Volatile.Read(ref _testRuns), Elapsed = Stopwatch.GetElapsedTime(_started),
    };

    /// <summary>Free-form chat answers; with several, the extra ones are sampled at the sampling temperature for diversity.</summary>
    public async Task<IReadOnlyList<string>> AskAsync(IReadOnlyList<ModelMessage> messages, int count, string purpose, CancellationToken cancellationToken)
    {
        var sampling = count > 1 ? Sampling with { Temperature = _options.SampleTemperature } : Sampling;
        var results = await _calls.CallManyAsync(ModelRequest.Chat(messages, sampling), count, purpose, null, cancellationToken).ConfigureAwait(false);
        return results.Select(r => r.Completion.Text).ToArray();
    }

    /// <summary>One call with a prepared request (the tool loop's native mode offers tools).</summary>
    public async Task<ModelCompletion> CallAsync(ModelRequest request, string purpose, CancellationToken cancellationToken)
    {
        var results = await _calls.CallManyAsync(request, 1, purpose, null, cancellationToken).ConfigureAwait(false);
        return results[0].Completion;
    }

    /// <summary>The three-step localisation, run once per solve and shared by strategies that need it again.</summary>
    public async Task<Localization.Localization> LocalizeAsync(CancellationToken cancellationToken)
    {
        if (_localization is not null) return _localization;
        var found = await new Localizer(this).LocalizeAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate) _localization ??= found;
        return _localization;
    }

    /// <summary>
    /// Checks <paramref name="patch"/> with the reproduction and regression tests (preparing them on first use, from
    /// the localisation if one ran, else from the map's ranking). Null when verification is off or the patch is empty.
    /// Leaves the workspace at the base.
    /// </summary>
    public async Task<CandidateCheck?> VerifyAsync(string patch, CancellationToken cancellationToken)
    {
        if (!Settings.Verify || string.IsNullOrWhiteSpace(patch)) return null;
        if (Verifier is null)
        {
            var localization = _localization ?? new Localization.Localization
            {
                Files = Map.Rank(Issue.ProblemStatement).Where(r => !RepositoryMap.IsTestPath(r.Path) && Map.Find(r.Path)?.Language != "text").Take(3).Select(r => r.Path).ToArray(),
            };
            Verifier = await CandidateVerifier.PrepareAsync(this, localization, cancellationToken).ConfigureAwait(false);
        }
        return await Verifier.CheckAsync(this, patch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Puts the workspace at the base plus <paramref name="patch"/> (strategies continue from a candidate).</summary>
    public async Task RestoreAsync(string patch, CancellationToken cancellationToken)
    {
        await Workspace.ResetAsync(cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrWhiteSpace(patch) && !await Workspace.ApplyAsync(patch, cancellationToken).ConfigureAwait(false))
            throw new InvalidOperationException("a patch made in this workspace no longer applies to its base");
    }

    /// <summary>Parses an answer's edits, applies them to the workspace through the lint guard and records what happened.</summary>
    public async Task<EditReport> ApplyAsync(string answer, string purpose, CancellationToken cancellationToken)
    {
        var parsed = EditParser.Parse(answer);
        var report = await Editor.ApplyAsync(Workspace, parsed, cancellationToken).ConfigureAwait(false);
        Trace.Add(new EditEvent
        {
            AtMs = _calls.ElapsedMs, Purpose = purpose, Applied = report.Applied, Failures = report.Failures,
            Refusals = report.Refusals, ChangedFiles = report.Written ? report.ChangedFiles : [],
        });
        return report;
    }

    /// <summary>
    /// Runs tests on the workspace as it is, recording the run. A sandbox failure is retried once and then stops the
    /// run as an infrastructure error: it never counts against a candidate.
    /// </summary>
    public async Task<RepairTestRun> RunTestsAsync(IReadOnlyList<string> tests, string purpose, CancellationToken cancellationToken)
    {
        var patch = await Workspace.DiffAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            var run = await Workspace.RunTestsAsync(tests, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _testRuns);
            Trace.Add(new TestRunEvent
            {
                AtMs = _calls.ElapsedMs, Purpose = purpose, PatchHash = PatchText.Hash(patch), Patch = patch, Tests = tests,
                Statuses = run.Statuses, Problem = run.Problem, InfrastructureError = run.InfrastructureError,
                Log = run.Log.Length > 4000 ? run.Log[^4000..] : run.Log, DurationMs = run.DurationMs,
            });
            if (!run.InfrastructureError) return run;
            if (attempt >= 1) throw new ExecutionUnavailableException($"the sandbox failed twice running tests ({purpose}): {run.Problem}");
            Note("sandbox error; retrying the test run once", new() { ["purpose"] = purpose });
        }
    }

    /// <summary>Counts one feedback round; throws <see cref="BudgetExhaustedException"/> when none is left.</summary>
    public void StartRound()
    {
        lock (_gate)
        {
            if (Budget.MaxRounds is { } max && _rounds >= max) throw new BudgetExhaustedException(BudgetKind.Rounds);
            _rounds++;
        }
    }

    /// <summary>Counts one tool-loop step; false once <see cref="RepairSettings.MaxSteps"/> are used.</summary>
    public bool TryStep() => Interlocked.Increment(ref _steps) <= Settings.MaxSteps;

    /// <summary>Considers a checked candidate for <see cref="Best"/>: fewest regressions, then the reproduction passing, earliest first.</summary>
    public void Offer(CandidateCheck check)
    {
        if (string.IsNullOrWhiteSpace(check.Patch)) return;
        lock (_gate)
        {
            if (_best is null || CandidateRanking.Compare(check, _best) < 0) _best = check;
        }
    }

    public void Note(string message, Dictionary<string, string>? data = null) => _calls.Note(message, data);
}
