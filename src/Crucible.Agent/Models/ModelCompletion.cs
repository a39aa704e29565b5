namespace Crucible.Agent.Models;

/// <summary>
/// One completion returned by the model, with the accounting of the HTTP call that produced it
/// (usage, latency, attempts and the delays waited between them).
/// </summary>
public sealed record ModelCompletion
{
    public required string Text { get; init; }

    /// <summary>Tool calls the model made natively (only when the request offered tools).</summary>
    public IReadOnlyList<ModelToolCall> ToolCalls { get; init; } = [];

    /// <summary><c>stop</c>, <c>length</c> (hit max tokens), ... as the server reported it; null when absent.</summary>
    public string? FinishReason { get; init; }

    public TokenUsage Usage { get; init; }

    /// <summary>True when the server reported no usage and <see cref="Usage"/> is an estimate.</summary>
    public bool UsageEstimated { get; init; }

    /// <summary>Wall time from the first attempt to the answer, retries and their delays included.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>HTTP attempts made (1 when the first one succeeded).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>Delays waited before each retry (Retry-After when the server sent one, else exponential backoff).</summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; init; } = [];

    /// <summary>Why each failed attempt failed, in order.</summary>
    public IReadOnlyList<string> AttemptErrors { get; init; } = [];

    /// <summary>True when the model stopped because it ran out of tokens: the code is likely cut off.</summary>
    public bool Truncated => string.Equals(FinishReason, "length", StringComparison.OrdinalIgnoreCase);
}
