using System.Globalization;
using Polly;
using Polly.CircuitBreaker;

namespace Crucible.Client;

/// <summary>
/// One server as the client sees it: its circuit breaker, the work units this client has outstanding there, and the
/// load the server last reported (<c>X-Crucible-Load</c>) — from which <see cref="Score"/> weighs it against the others.
/// </summary>
internal sealed class Replica
{
    /// <summary>A report older than this says nothing about now; only this client's own outstanding work counts then.</summary>
    private static readonly TimeSpan ReportLifetime = TimeSpan.FromSeconds(3);

    private int _outstanding;
    private int _others, _slots;
    private long _reportedAt, _avoidUntil;

    public Replica(Uri uri, TimeSpan breakDuration)
    {
        Uri = uri;
        Breaker = new ResiliencePipelineBuilder()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = breakDuration < TimeSpan.FromMilliseconds(500) ? TimeSpan.FromMilliseconds(500) : breakDuration,
                StateProvider = State,
                // Busy (429) is not broken; only failures to answer and 5xx count against a server.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is HttpRequestException or TimeoutException or IOException
                    || args.Outcome.Result is IServerAnswer { ServerFault: true }),
            })
            .Build();
    }

    public Uri Uri { get; }
    public CircuitBreakerStateProvider State { get; } = new();
    public ResiliencePipeline Breaker { get; }

    /// <summary>Not to be sent new work now: its circuit is open, or it said it is going away (or failed to connect) moments ago.</summary>
    public bool Unavailable => State.CircuitState == CircuitState.Open || Environment.TickCount64 < Volatile.Read(ref _avoidUntil);

    /// <summary>
    /// Expected queueing per execution slot if one more unit came: this client's outstanding units plus the other
    /// clients' units from the last report, over the slots the server reported (1 until it has reported).
    /// </summary>
    public double Score
    {
        get
        {
            var fresh = Environment.TickCount64 - Volatile.Read(ref _reportedAt) < ReportLifetime.TotalMilliseconds;
            var others = fresh ? Volatile.Read(ref _others) : 0;
            var slots = Math.Max(1, Volatile.Read(ref _slots));
            return (Volatile.Read(ref _outstanding) + others + 1.0) / slots;
        }
    }

    public void Begin(int units) => Interlocked.Add(ref _outstanding, units);

    public void End(int units) => Interlocked.Add(ref _outstanding, -units);

    /// <summary>Keeps clear of this server for <paramref name="span"/> (it is draining, or refused a connection).</summary>
    public void Avoid(TimeSpan span) => Volatile.Write(ref _avoidUntil, Environment.TickCount64 + (long)span.TotalMilliseconds);

    /// <summary>
    /// Reads <c>in_flight=N; queued=N; max_in_flight=N; ready=0|1</c>. The units beyond this client's own outstanding
    /// ones (minus <paramref name="ownUnitsDone"/>, the answered request's, which the server no longer counts) are others'.
    /// A replica that reports not ready is going away: it is avoided while others remain.
    /// </summary>
    public void NoteLoad(string? header, int ownUnitsDone)
    {
        if (string.IsNullOrEmpty(header)) return;
        int inFlight = 0, queued = 0, slots = 0, ready = 1;
        foreach (var part in header.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0 || !int.TryParse(part.AsSpan(eq + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)) continue;
            switch (part[..eq])
            {
                case "in_flight": inFlight = v; break;
                case "queued": queued = v; break;
                case "max_in_flight": slots = v; break;
                case "ready": ready = v; break;
            }
        }
        if (slots <= 0) return;
        var own = Math.Max(0, Volatile.Read(ref _outstanding) - ownUnitsDone);
        Volatile.Write(ref _others, Math.Max(0, inFlight + queued - own));
        Volatile.Write(ref _slots, slots);
        Volatile.Write(ref _reportedAt, Environment.TickCount64);
        if (ready == 0) Avoid(ReportLifetime);
    }
}
