using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Crucible.Server;

/// <summary>
/// The <c>Idempotency-Key</c> header: a client names each logical request once and sends the same key on every
/// retry, so whichever attempt reaches this replica second is answered from the first (see <see cref="IdempotencyCache"/>).
/// </summary>
internal static class IdempotentRequest
{
    public const string KeyHeader = "Idempotency-Key";

    /// <summary>Set on an answer that was not computed for this request but replayed from the first one with its key.</summary>
    public const string ReplayHeader = "Idempotent-Replay";

    /// <summary>The request's key, or null without one; throws <see cref="ApiException"/> for a key that cannot be one.</summary>
    public static string? ReadKey(HttpContext context)
    {
        if (!context.Request.Headers.TryGetValue(KeyHeader, out var values)) return null;
        var key = values.ToString().Trim();
        if (values.Count != 1 || key.Length is 0 or > IdempotencyCache.MaxKeyLength || key.Any(c => c is < '!' or > '~'))
            throw ApiException.Invalid(KeyHeader, $"the {KeyHeader} header must be one token of 1 to {IdempotencyCache.MaxKeyLength} visible ASCII characters, e.g. a UUID.");
        return key;
    }

    /// <summary>Answers a keyed request: from the first request with its key when there is one, else by running it.</summary>
    public static async Task<Answer> AnswerAsync(ExecutionHost host, HttpContext context, string key, Func<Task<Answer>> produce)
    {
        // A new key under overload or shutdown is refused like any request, before its body is read.
        if ((host.Draining || host.Gate.IsFull) && !host.Idempotency.Knows(key)) return await produce().ConfigureAwait(false);
        var body = await ReadBodyAsync(context, host.Options.MaxRequestBodyBytes).ConfigureAwait(false);
        context.Request.Body = new MemoryStream(body, writable: false);
        var earlier = host.Idempotency.Join(key, SHA256.HashData(body));
        if (earlier is not null)
        {
            try
            {
                var replay = await earlier.WaitAsync(context.RequestAborted).ConfigureAwait(false);
                context.Response.Headers[ReplayHeader] = "true";
                return replay;
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return Answer.ClientGone;
            }
        }
        var answer = Answer.ClientGone;
        try
        {
            answer = await produce().ConfigureAwait(false);
        }
        finally
        {
            // Whatever happened, waiters are released (with a retryable refusal when there is no answer to give them);
            // only a complete answer is kept for later retries.
            var shared = answer.Status == Answer.ClientGone.Status
                ? ExecutionHost.ErrorAnswer(new ApiException(503, "abandoned", null, "the first request with this Idempotency-Key ended without an answer; retry it.", 1))
                : answer;
            host.Idempotency.Complete(key, shared, keep: shared.Complete && shared.Status == StatusCodes.Status200OK);
        }
        return answer;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context, long maxBytes)
    {
        if (context.Request.ContentLength is { } length && length > maxBytes)
            throw new ApiException(413, "too_large", "body", $"the body ({length} bytes) exceeds the server's limit of {maxBytes} bytes; split the batch or raise --max-body.");
        using var buffer = new MemoryStream(context.Request.ContentLength is { } n ? (int)Math.Min(n, maxBytes) : 4096);
        try
        {
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            throw e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? new ApiException(413, "too_large", "body", $"the body exceeds the server's limit of {maxBytes} bytes; split the batch or raise --max-body.")
                : new ApiException(400, "invalid_request", "body", $"the body could not be read: {e.Message}");
        }
        return buffer.ToArray();
    }
}
