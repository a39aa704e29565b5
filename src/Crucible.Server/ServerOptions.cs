using Crucible.Sandbox;

namespace Crucible.Server;

/// <summary>
/// Configuration of <c>crucible serve</c>. Capacity is counted in work units: one <c>/run_code</c> call, one
/// <c>/v1/judge</c> submission, or one <c>/v1/rewards</c> item. <see cref="MaxInFlight"/> units execute at once,
/// <see cref="QueueLimit"/> more may wait; past that, requests get 429 with Retry-After.
/// </summary>
public sealed record ServerOptions
{
    /// <summary>Addresses to listen on; loopback only unless the operator asks otherwise.</summary>
    public IReadOnlyList<string> Urls { get; init; } = ["http://127.0.0.1:8080"];

    /// <summary>Work units executing at once; defaults to 4 per sandbox run slot, so compiles and I/O overlap with runs.</summary>
    public int? MaxInFlight { get; init; }

    /// <summary>Work units that may wait for a slot.</summary>
    public int QueueLimit { get; init; } = 256;

    /// <summary>Longest a request may take, queueing included; a client may ask for less with <c>X-Crucible-Timeout</c> (seconds).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest accepted request body.</summary>
    public long MaxRequestBodyBytes { get; init; } = 64L << 20;

    /// <summary>When set, every endpoint but <c>/health</c> and <c>/ready</c> requires <c>Authorization: Bearer</c> with it.</summary>
    public string? BearerToken { get; init; }

    /// <summary>On shutdown, how long in-flight work may still finish before it is cancelled and answered as interrupted.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// HTTP status of a refusal when the queue is full: 429 (the default), or 503/504 for clients that only retry
    /// those — verl's SandboxFusion client retries 504 and turns any other refusal into a failed test case.
    /// </summary>
    public int BusyStatusCode { get; init; } = 429;

    /// <summary>Memory for <c>/run_code</c> calls that pass <c>memory_limit_MB: -1</c> (SandboxFusion's "no limit").</summary>
    public long DefaultRunMemoryBytes { get; init; } = 1L << 30;

    /// <summary>Directory of local clones named <c>owner__name</c> for <c>/v1/swe/grade</c>; that endpoint answers 422 without it.</summary>
    public string? ReposDirectory { get; init; }

    /// <summary>Sandbox pool settings (state root, parallel runs, sessions) when the server creates its own pool.</summary>
    public SandboxOptions Sandbox { get; init; } = new();

    /// <summary>Effective <see cref="MaxInFlight"/> for a pool running <paramref name="parallelRuns"/> runs at once.</summary>
    public int EffectiveMaxInFlight(int parallelRuns) => MaxInFlight ?? Math.Max(4, 4 * parallelRuns);

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad option and the fix.</summary>
    public void Validate()
    {
        if (Urls.Count == 0) throw new ArgumentException("at least one URL to listen on is required (--urls or --port).", nameof(Urls));
        if (MaxInFlight is < 1) throw new ArgumentException($"--max-in-flight must be at least 1, got {MaxInFlight}.", nameof(MaxInFlight));
        if (QueueLimit < 0) throw new ArgumentException($"--queue must be zero or more, got {QueueLimit}.", nameof(QueueLimit));
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentException("--request-timeout must be positive.", nameof(RequestTimeout));
        if (MaxRequestBodyBytes < 1024) throw new ArgumentException($"--max-body must be at least 1k, got {MaxRequestBodyBytes}.", nameof(MaxRequestBodyBytes));
        if (DrainTimeout < TimeSpan.Zero) throw new ArgumentException("--drain-timeout must not be negative.", nameof(DrainTimeout));
        if (BearerToken is { Length: < 16 }) throw new ArgumentException("the bearer token must be at least 16 characters.", nameof(BearerToken));
        if (BusyStatusCode is not (429 or 503 or 504)) throw new ArgumentException($"--busy-status must be 429, 503 or 504, got {BusyStatusCode}.", nameof(BusyStatusCode));
        if (DefaultRunMemoryBytes < 4L << 20) throw new ArgumentException("the default run memory must be at least 4 MiB.", nameof(DefaultRunMemoryBytes));
    }
}
