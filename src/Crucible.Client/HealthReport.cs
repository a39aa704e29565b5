using System.Text.Json.Serialization;

namespace Crucible.Client;

/// <summary>Body of <c>GET /health</c> and <c>GET /ready</c>: liveness, and the admission capacity load tools size against.</summary>
public sealed record HealthReport
{
    /// <summary><c>ok</c>; <c>unready</c> once shutdown is announced (still admitting, load balancers take it out); <c>draining</c> once it refuses new work.</summary>
    [JsonPropertyName("status")] public string Status { get; init; } = "ok";

    /// <summary>Work units (a run, a submission, a reward item) executed at once.</summary>
    [JsonPropertyName("max_in_flight")] public int MaxInFlight { get; init; }

    /// <summary>Work units that may wait; past <see cref="MaxInFlight"/> + this, requests get 429.</summary>
    [JsonPropertyName("queue_limit")] public int QueueLimit { get; init; }

    [JsonPropertyName("in_flight")] public int InFlight { get; init; }
    [JsonPropertyName("queued")] public int Queued { get; init; }
    [JsonPropertyName("sandbox_parallel_runs")] public int SandboxParallelRuns { get; init; }
    [JsonPropertyName("isolation")] public string? Isolation { get; init; }
    [JsonPropertyName("version")] public string? Version { get; init; }
}
