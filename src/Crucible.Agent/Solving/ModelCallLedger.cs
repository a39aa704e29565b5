using System.Diagnostics;
using Crucible.Agent.Models;

namespace Crucible.Agent.Solving;

/// <summary>
/// Every model call of one run goes through here: the sample and token budgets are checked and reserved before the
/// call, the completion length is capped to what the token budget has left, seeds continue per identical request,
/// and the full request, answer and accounting are written to the trace. Shared by function-level solving and the
/// repository agent. Thread-safe.
/// </summary>
public sealed class ModelCallLedger
{
    private readonly IModelClient _model;
    private readonly long _started;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _drawnPerRequest = new(StringComparer.Ordinal);
    private int _samples, _attempts;
    private long _promptTokens, _completionTokens;

    public ModelCallLedger(IModelClient model, SolveBudget budget, SolveTrace trace, long startedTimestamp)
    {
        _model = model;
        Budget = budget;
        Trace = trace;
        _started = startedTimestamp;
    }

    public SolveBudget Budget { get; }
    public SolveTrace Trace { get; }
    public string Model => _model.Model;

    public int Samples { get { lock (_gate) return _samples; } }
    public int Attempts { get { lock (_gate) return _attempts; } }
    public long PromptTokens { get { lock (_gate) return _promptTokens; } }
    public long CompletionTokens { get { lock (_gate) return _completionTokens; } }

    public double ElapsedMs => Stopwatch.GetElapsedTime(_started).TotalMilliseconds;

    /// <summary>Records a decision in the trace.</summary>
    public void Note(string message, Dictionary<string, string>? data = null) =>
        Trace.Add(new DecisionEvent { AtMs = ElapsedMs, Purpose = "decision", Message = message, Data = data ?? [] });

    /// <summary>One (completion, candidate id) of <see cref="CallManyAsync"/>.</summary>
    public sealed record CallResult(ModelCompletion Completion, string? CandidateId);

    /// <summary>
    /// Draws up to <paramref name="count"/> completions concurrently (the k-th completion ever drawn for this request is
    /// seeded with seed + k, so completions differ and a rerun repeats them). The sample budget is reserved up front.
    /// When some calls fail for good the others are kept; only when all fail is the error thrown.
    /// </summary>
    public async Task<IReadOnlyList<CallResult>> CallManyAsync(ModelRequest request, int count, string purpose, Func<string>? candidateIds, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var granted = Reserve(count);
        if (granted < count) Note($"sample budget allows {granted} of the {count} completions asked for", new() { ["purpose"] = purpose });
        // The same request asked again (best-of-n waves) continues the seed sequence instead of repeating it.
        var key = RequestFingerprint.Of(request);
        int first;
        lock (_gate)
        {
            first = _drawnPerRequest.GetValueOrDefault(key);
            _drawnPerRequest[key] = first + granted;
        }
        var sampling = CapTokens(request.Sampling);
        var calls = Enumerable.Range(0, granted).Select(async i =>
        {
            var r = request with { Sampling = sampling with { Seed = sampling.SeedFor(first + i) } };
            var id = candidateIds?.Invoke();
            try
            {
                return (Result: new CallResult(await CallOnceAsync(r, purpose, id, ct).ConfigureAwait(false), id), Error: (ModelException?)null);
            }
            catch (ModelException e)
            {
                return (Result: (CallResult?)null, Error: e);
            }
        }).ToArray();
        var outcomes = await Task.WhenAll(calls).ConfigureAwait(false);
        var ok = outcomes.Where(o => o.Result is not null).Select(o => o.Result!).ToArray();
        if (ok.Length == 0) throw outcomes.First(o => o.Error is not null).Error!;
        if (ok.Length < granted) Note($"{granted - ok.Length} of {granted} model calls failed; continuing with the rest", new() { ["purpose"] = purpose });
        return ok;
    }

    private int Reserve(int count)
    {
        lock (_gate)
        {
            if (Budget.MaxTokens is { } maxTokens && _promptTokens + _completionTokens >= maxTokens) throw new BudgetExhaustedException(BudgetKind.Tokens);
            var left = Budget.MaxSamples is { } max ? max - _samples : int.MaxValue;
            if (left <= 0) throw new BudgetExhaustedException(BudgetKind.Samples);
            var granted = Math.Min(count, left);
            _samples += granted;
            return granted;
        }
    }

    /// <summary>With a token budget and a max-tokens setting, no completion may be longer than what the budget has left.</summary>
    private SamplingOptions CapTokens(SamplingOptions sampling)
    {
        if (Budget.MaxTokens is not { } max || sampling.MaxTokens is not { } perCall) return sampling;
        long left;
        lock (_gate) left = max - _promptTokens - _completionTokens;
        return left < perCall ? sampling with { MaxTokens = (int)Math.Max(1, left) } : sampling;
    }

    private async Task<ModelCompletion> CallOnceAsync(ModelRequest request, string purpose, string? candidateId, CancellationToken ct)
    {
        var at = ElapsedMs;
        var evt = new ModelCallEvent
        {
            AtMs = at, Purpose = purpose, Api = request.Api, Messages = request.Api == ModelApi.Chat ? request.Messages : null,
            Prompt = request.Prompt, Sampling = request.Sampling, Fingerprint = RequestFingerprint.Of(request), CandidateId = candidateId,
            Tools = request.Tools.Count > 0 ? request.Tools : null,
        };
        try
        {
            var c = await _model.CompleteAsync(request, ct).ConfigureAwait(false);
            lock (_gate)
            {
                _promptTokens += c.Usage.PromptTokens;
                _completionTokens += c.Usage.CompletionTokens;
                _attempts += c.Attempts;
            }
            Trace.Add(evt with
            {
                Response = c.Text, FinishReason = c.FinishReason, Usage = c.Usage, UsageEstimated = c.UsageEstimated,
                LatencyMs = c.Latency.TotalMilliseconds, Attempts = c.Attempts, ToolCalls = c.ToolCalls.Count > 0 ? c.ToolCalls : null,
                RetryDelaysMs = c.RetryDelays.Select(d => d.TotalMilliseconds).ToArray(), AttemptErrors = c.AttemptErrors,
            });
            return c;
        }
        catch (ModelException e)
        {
            lock (_gate) _attempts += e.Attempts;
            Trace.Add(evt with { ErrorKind = e.Kind, Error = e.Message, Attempts = e.Attempts, AttemptErrors = e.AttemptErrors, LatencyMs = ElapsedMs - at, CandidateId = null });
            throw;
        }
    }
}
