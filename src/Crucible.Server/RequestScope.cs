namespace Crucible.Server;

/// <summary>
/// One admitted request's execution context: its reservation, and a token that fires on its deadline, on the end of
/// the shutdown drain, or when the client goes away — with the reason, so interrupted work is answered truthfully.
/// Requests with an idempotency key do not follow their client (<paramref name="client"/> is then none): a retry
/// with the same key gets their answer.
/// </summary>
internal sealed class RequestScope(AdmissionGate.Ticket ticket, CancellationToken client, CancellationToken drain, TimeSpan deadline, CancellationToken token,
    int shutdownStatus = 503)
{
    public CancellationToken Token { get; } = token;
    public TimeSpan Deadline { get; } = deadline;

    public bool ClientGone => client.IsCancellationRequested;

    /// <summary>The shutdown drain period ended before the work did: answer with a retryable status, not a verdict.</summary>
    public bool DrainEnded => drain.IsCancellationRequested && !ClientGone;

    /// <summary>Why <see cref="Token"/> fired.</summary>
    public string InterruptReason => ClientGone ? "the client disconnected"
        : drain.IsCancellationRequested ? "the server is shutting down and the drain period ended"
        : $"the request deadline of {Deadline.TotalSeconds:0.#} s passed";

    /// <summary>Waits for an execution slot; when the token fires first, the request is answered 503/504 (nothing ran).</summary>
    public async Task<AdmissionGate.Slot> EnterAsync()
    {
        try
        {
            return await ticket.EnterAsync(Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ClientGone)
        {
            throw NotStarted();
        }
    }

    /// <summary>The error for work that never started because the token fired while it waited.</summary>
    public ApiException NotStarted() => drain.IsCancellationRequested
        ? new ApiException(shutdownStatus, "shutting_down", null, "the server shut down before the request ran; retry it on another replica.", 1)
        : new ApiException(504, "deadline_exceeded", null, $"the request waited past its deadline of {Deadline.TotalSeconds:0.#} s in the queue; retry later or raise --request-timeout.", 1);

    /// <summary>The error for work the shutdown drain cut off: nothing of it is answered, the client retries it elsewhere.</summary>
    public ApiException Unfinished() =>
        new(shutdownStatus, "shutting_down", null, "the server shut down before the request finished (the drain period ended); retry it on another replica.", 1);

    /// <summary>Waits for a slot for one item of a batch; throws <see cref="OperationCanceledException"/> when the token fires first.</summary>
    public Task<AdmissionGate.Slot> EnterItemAsync() => ticket.EnterAsync(Token);
}
