using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Crucible.Agent.Extraction;
using Crucible.Agent.Feedback;
using Crucible.Agent.Models;
using Crucible.Agent.Prompts;
using Crucible.Judge;

namespace Crucible.Agent.Solving;

/// <summary>
/// What a strategy works with while solving one problem: the problem (public tests only — hidden tests never reach a
/// strategy), the model, the executor, the budget and the trace. Every model call and execution goes through here, so
/// budgets are enforced and every step is recorded in one place. Thread-safe: strategies may fan out.
/// </summary>
public sealed class SolveContext
{
    private readonly ModelCallLedger _calls;
    private readonly IExecutionFeedback _feedback;
    private readonly SolverOptions _options;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<ExecutionReport>>> _executionCache = new(StringComparer.Ordinal);
    private int _rounds, _executions, _nextCandidate;
    private Candidate? _best;

    internal SolveContext(Problem problem, string language, SolverOptions options, IModelClient model, IExecutionFeedback feedback, SolveTrace trace)
    {
        // Strategies get the problem without its hidden tests, so no strategy can peek at them, by mistake or design.
        Problem = problem with { Tests = problem.Tests.Where(t => t.IsPublic).ToArray() };
        Language = language;
        _options = options;
        _calls = new ModelCallLedger(model, options.Budget, trace, _started);
        _feedback = feedback;
        Trace = trace;
        PublicTests = new TestSuite("public", Problem.Tests);
    }

    /// <summary>The problem as strategies may see it: statement, prompt, limits and public tests only.</summary>
    public Problem Problem { get; }

    public string Language { get; }
    public PromptTemplate Template => _options.Template;
    public SamplingOptions Sampling => _options.Sampling;
    public SolveBudget Budget => _options.Budget;
    public FeedbackPrompt FeedbackPrompt => _options.Feedback;
    public SolveTrace Trace { get; }

    /// <summary>The problem's public (visible) tests: the only tests strategies may run.</summary>
    public TestSuite PublicTests { get; }

    public bool HasPublicTests => PublicTests.Count > 0;

    /// <summary>The best candidate offered so far: most public tests passed, earliest first among equals.</summary>
    public Candidate? Best { get { lock (_gate) return _best; } }

    public SolveUsage Usage
    {
        get
        {
            lock (_gate)
            {
                return new SolveUsage
                {
                    Samples = _calls.Samples, Rounds = _rounds, PromptTokens = _calls.PromptTokens, CompletionTokens = _calls.CompletionTokens,
                    ModelAttempts = _calls.Attempts, Executions = _executions, Elapsed = Stopwatch.GetElapsedTime(_started),
                };
            }
        }
    }

    /// <summary>Strategies that converse with the model call this first; base models cannot take feedback turns.</summary>
    public void RequireChat(string strategy)
    {
        if (Template.Api != ModelApi.Chat)
            throw new ArgumentException($"strategy '{strategy}' converses with the model and needs a chat template (--prompt-template instruct), not '{Template.Name}'.");
    }

    /// <summary>Draws <paramref name="count"/> fresh candidates from the prompt template (fewer if the sample budget runs short).</summary>
    public async Task<IReadOnlyList<Candidate>> SampleAsync(int count, string purpose, CancellationToken cancellationToken)
    {
        var rendered = Template.Render(Problem, Language);
        var request = rendered.ToRequest(Sampling);
        var results = await CallManyAsync(request, count, purpose, makesCandidates: true, cancellationToken).ConfigureAwait(false);
        return results.Select(r =>
        {
            var code = CodeExtractor.Extract(r.Completion.Text, rendered, Problem, Language);
            return new Candidate
            {
                Id = r.CandidateId!, Code = code.Code, Extraction = code.Kind, Response = r.Completion.Text, Purpose = purpose,
                Conversation = rendered.Messages, TaskMessages = rendered.Messages, Truncated = r.Completion.Truncated,
            };
        }).ToArray();
    }

    /// <summary>Asks the model for a fix of <paramref name="parent"/> given <paramref name="feedback"/>: one revision round.</summary>
    public Task<Candidate> ReviseAsync(Candidate parent, string feedback, string purpose, CancellationToken cancellationToken, bool keepHistory = false)
    {
        RequireChat(purpose);
        var basis = keepHistory ? parent.Conversation : parent.TaskMessages;
        IReadOnlyList<ModelMessage> messages = [.. basis, parent.AsAssistantTurn(Language), ModelMessage.User(feedback)];
        return GenerateAsync(messages, parent.TaskMessages, purpose, parent, cancellationToken);
    }

    /// <summary>One candidate from an arbitrary conversation (for strategies with their own prompts).</summary>
    public async Task<Candidate> GenerateAsync(IReadOnlyList<ModelMessage> messages, IReadOnlyList<ModelMessage> taskMessages, string purpose,
        Candidate? parent, CancellationToken cancellationToken)
    {
        RequireChat(purpose);
        var results = await CallManyAsync(ModelRequest.Chat(messages, Sampling), 1, purpose, makesCandidates: true, cancellationToken).ConfigureAwait(false);
        var r = results[0];
        var code = CodeExtractor.Extract(r.Completion.Text, new RenderedPrompt { Api = ModelApi.Chat, Messages = messages }, Problem, Language);
        return new Candidate
        {
            Id = r.CandidateId!, Code = code.Code, Extraction = code.Kind, Response = r.Completion.Text, Purpose = purpose,
            Conversation = messages, TaskMessages = taskMessages, ParentId = parent?.Id, Round = (parent?.Round ?? 0) + (parent is null ? 0 : 1),
            Truncated = r.Completion.Truncated,
        };
    }

    /// <summary>Free-form chat answers (reflections, generated tests); reasoning blocks are left in for the caller to strip.</summary>
    public async Task<IReadOnlyList<string>> AskAsync(IReadOnlyList<ModelMessage> messages, int count, string purpose, CancellationToken cancellationToken)
    {
        RequireChat(purpose);
        var results = await CallManyAsync(ModelRequest.Chat(messages, Sampling), count, purpose, makesCandidates: false, cancellationToken).ConfigureAwait(false);
        return results.Select(r => r.Completion.Text).ToArray();
    }

    /// <summary>Counts one revision round; throws <see cref="BudgetExhaustedException"/> when none is left.</summary>
    public void StartRound()
    {
        lock (_gate)
        {
            if (Budget.MaxRounds is { } max && _rounds >= max) throw new BudgetExhaustedException(BudgetKind.Rounds);
            _rounds++;
        }
    }

    /// <summary>True when another round would be allowed (for strategies that want to stop cleanly rather than be stopped).</summary>
    public bool RoundsLeft { get { lock (_gate) return Budget.MaxRounds is not { } max || _rounds < max; } }

    /// <summary>Runs <paramref name="candidate"/> on the public tests, records the report on it and offers it as the best.</summary>
    public async Task<ExecutionReport> TestPublicAsync(Candidate candidate, CancellationToken cancellationToken)
    {
        var report = await TestAsync(candidate, PublicTests, cancellationToken).ConfigureAwait(false);
        candidate.PublicReport = report;
        Offer(candidate);
        return report;
    }

    /// <summary>
    /// Runs <paramref name="candidate"/> on <paramref name="suite"/>. The same code on the same suite runs once per solve,
    /// even when asked for concurrently (models often repeat themselves). A sandbox failure is retried once, then
    /// reported as <see cref="ExecutionUnavailableException"/>: it must never count against the candidate.
    /// </summary>
    public async Task<ExecutionReport> TestAsync(Candidate candidate, TestSuite suite, CancellationToken cancellationToken)
    {
        var key = suite.Name + "\n" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(candidate.Code)));
        var mine = new Lazy<Task<ExecutionReport>>(() => RunFreshAsync(candidate, suite, cancellationToken));
        var shared = _executionCache.GetOrAdd(key, mine);
        ExecutionReport report;
        try
        {
            report = await shared.Value.ConfigureAwait(false);
        }
        catch
        {
            // A failed or cancelled run is not a result: forget it so a later request runs again.
            _executionCache.TryRemove(new KeyValuePair<string, Lazy<Task<ExecutionReport>>>(key, shared));
            throw;
        }
        if (!ReferenceEquals(shared, mine)) Record(candidate, suite, report, cached: true);
        return report;
    }

    private async Task<ExecutionReport> RunFreshAsync(Candidate candidate, TestSuite suite, CancellationToken cancellationToken)
    {
        await Task.Yield(); // run outside GetOrAdd's caller so concurrent callers share this task, not its first steps
        ExecutionReport report;
        if (!candidate.HasCode) report = ExecutionReport.NoCode(suite.Count);
        else
        {
            var request = new ExecutionRequest(Problem, Language, candidate.Code, suite.Tests);
            report = await _feedback.RunAsync(request, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _executions);
            if (report.IsInfrastructureError)
            {
                Note("sandbox error; retrying the execution once", new() { ["candidate"] = candidate.Id, ["message"] = report.Message ?? "" });
                report = await _feedback.RunAsync(request, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _executions);
                if (report.IsInfrastructureError)
                {
                    Record(candidate, suite, report, cached: false);
                    throw new ExecutionUnavailableException($"the sandbox failed twice running {candidate.Id}: {report.Message}");
                }
            }
        }
        Record(candidate, suite, report, cached: false);
        return report;
    }

    /// <summary>Considers <paramref name="candidate"/> for <see cref="Best"/>.</summary>
    public void Offer(Candidate candidate)
    {
        if (!candidate.HasCode) return;
        lock (_gate)
        {
            if (_best is null || Rank(candidate).CompareTo(Rank(_best)) > 0) _best = candidate;
        }
    }

    /// <summary>Ordering for "best so far": passes everything, then most tests passed, then tested at all, then not cut off.</summary>
    private static (bool, int, bool, bool) Rank(Candidate c) => (c.PassesPublicTests, c.PublicPassed, c.PublicReport is not null, !c.Truncated);

    /// <summary>Records a strategy decision in the trace.</summary>
    public void Note(string message, Dictionary<string, string>? data = null) => _calls.Note(message, data);

    /// <summary>The fix request for a failed report, worded by the solver's <see cref="FeedbackPrompt"/>.</summary>
    public string FeedbackFor(ExecutionReport report, string testsLabel = "the public tests") => FeedbackPrompt.Format(report, Language, testsLabel);

    private double ElapsedMs => Stopwatch.GetElapsedTime(_started).TotalMilliseconds;

    private string NextCandidateId() => "c" + Interlocked.Increment(ref _nextCandidate);

    private Task<IReadOnlyList<ModelCallLedger.CallResult>> CallManyAsync(ModelRequest request, int count, string purpose, bool makesCandidates, CancellationToken ct) =>
        _calls.CallManyAsync(request, count, purpose, makesCandidates ? NextCandidateId : null, ct);

    private void Record(Candidate candidate, TestSuite suite, ExecutionReport report, bool cached) => Trace.Add(new ExecutionEvent
    {
        AtMs = ElapsedMs, Purpose = suite.Name, CandidateId = candidate.Id, Suite = suite.Name, Code = candidate.Code,
        Outcome = report.Outcome, Passed = report.Passed, Total = report.Total, Cached = cached,
        DurationMs = cached ? 0 : report.Duration.TotalMilliseconds, CompileOutput = report.CompileOutput, Message = report.Message,
        Tests = cached ? [] : report.Tests,
    });
}
