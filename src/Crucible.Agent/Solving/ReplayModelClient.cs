using System.Collections.Concurrent;
using Crucible.Agent.Models;

namespace Crucible.Agent.Solving;

/// <summary>
/// Answers model requests from a saved trace instead of a server, so a run can be replayed (and debugged) without the
/// model: each request gets the recorded answer of the same fingerprint, in recorded order; a recorded failure is
/// thrown again. Executions are not replayed: they run for real, so a change to the judge or the sandbox shows.
/// </summary>
public sealed class ReplayModelClient : IModelClient
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ModelCallEvent>> _calls = new(StringComparer.Ordinal);

    public ReplayModelClient(SolveTrace trace)
    {
        Model = trace.Header.Model;
        foreach (var call in trace.Events.OfType<ModelCallEvent>().OrderBy(e => e.Sequence))
            _calls.GetOrAdd(call.Fingerprint, _ => new ConcurrentQueue<ModelCallEvent>()).Enqueue(call);
    }

    public string Model { get; }

    /// <summary>Recorded calls not consumed yet.</summary>
    public int Remaining => _calls.Values.Sum(q => q.Count);

    public Task<ModelCompletion> CompleteAsync(ModelRequest request, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fingerprint = RequestFingerprint.Of(request);
        if (!_calls.TryGetValue(fingerprint, out var queue) || !queue.TryDequeue(out var call))
            throw new ModelException(ModelErrorKind.BadRequest,
                "replay: the trace has no recorded answer for this request; the run diverged from the recorded one (different problem, options or judge results)");
        if (call.ErrorKind is { } kind) throw new ModelException(kind, "replayed failure: " + call.Error, attempts: call.Attempts);
        return Task.FromResult(new ModelCompletion
        {
            Text = call.Response ?? "",
            ToolCalls = call.ToolCalls ?? [],
            FinishReason = call.FinishReason,
            Usage = call.Usage,
            UsageEstimated = call.UsageEstimated,
            Latency = TimeSpan.FromMilliseconds(call.LatencyMs),
            Attempts = call.Attempts,
            RetryDelays = call.RetryDelaysMs.Select(TimeSpan.FromMilliseconds).ToArray(),
            AttemptErrors = call.AttemptErrors,
        });
    }
}
