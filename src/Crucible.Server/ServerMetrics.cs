using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Crucible.Sandbox;

namespace Crucible.Server;

/// <summary>
/// The server's metrics in Prometheus text exposition format 0.0.4. Counters and histograms are updated lock-free on
/// the request path; gauges of the admission gate and the sandbox pool are read at scrape time. Each server has its
/// own instance, so several servers in one process (as in tests) never mix their numbers.
/// </summary>
internal sealed class ServerMetrics(AdmissionGate gate, SandboxPool pool, IdempotencyCache idempotency, Func<bool> ready)
{
    /// <summary>Latency buckets in seconds: 5 ms doubling to ~160 s, covering a cached run to a long batch.</summary>
    internal static readonly double[] Buckets = Enumerable.Range(0, 16).Select(i => 0.005 * Math.Pow(2, i)).ToArray();

    private readonly ConcurrentDictionary<(string Endpoint, int Code), Box> _requests = new();
    private readonly ConcurrentDictionary<string, LatencyHistogram> _latency = new();
    private readonly ConcurrentDictionary<(string Endpoint, string Verdict), Box> _verdicts = new();
    private readonly ConcurrentDictionary<string, Box> _rewardItems = new();

    public void Request(string endpoint, int statusCode, TimeSpan elapsed)
    {
        Interlocked.Increment(ref _requests.GetOrAdd((endpoint, statusCode), _ => new Box()).Value);
        _latency.GetOrAdd(endpoint, _ => new LatencyHistogram()).Observe(elapsed.TotalSeconds);
    }

    public void Verdict(string endpoint, string verdict) => Interlocked.Increment(ref _verdicts.GetOrAdd((endpoint, verdict), _ => new Box()).Value);
    public void RewardItem(string status) => Interlocked.Increment(ref _rewardItems.GetOrAdd(status, _ => new Box()).Value);

    public async Task WriteAsync(Stream stream, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(Render());
        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    internal string Render()
    {
        var w = new StringBuilder(4096);
        Family(w, "crucible_http_requests_total", "counter", "HTTP requests answered, by endpoint and status code.");
        foreach (var ((endpoint, code), box) in _requests.OrderBy(k => k.Key))
            Sample(w, "crucible_http_requests_total", Volatile.Read(ref box.Value), ("endpoint", endpoint), ("code", code.ToString(CultureInfo.InvariantCulture)));

        Family(w, "crucible_http_request_duration_seconds", "histogram", "Time from request to response, queueing included.");
        foreach (var (endpoint, h) in _latency.OrderBy(k => k.Key)) h.Render(w, "crucible_http_request_duration_seconds", endpoint);

        Family(w, "crucible_verdicts_total", "counter", "Verdicts given, by endpoint and verdict (run verdict or judge outcome).");
        foreach (var ((endpoint, verdict), box) in _verdicts.OrderBy(k => k.Key))
            Sample(w, "crucible_verdicts_total", Volatile.Read(ref box.Value), ("endpoint", endpoint), ("verdict", verdict));

        Family(w, "crucible_reward_items_total", "counter", "Reward items answered, by status (scored, infra_error, invalid).");
        foreach (var (status, box) in _rewardItems.OrderBy(k => k.Key))
            Sample(w, "crucible_reward_items_total", Volatile.Read(ref box.Value), ("status", status));

        Single(w, "crucible_admission_rejected_total", "counter", "Requests refused with 429 because the queue was full.", gate.Rejected);
        Single(w, "crucible_admission_in_flight", "gauge", "Work units executing.", gate.InFlight);
        Single(w, "crucible_admission_queue_depth", "gauge", "Work units admitted and waiting for an execution slot.", gate.Queued);
        Single(w, "crucible_admission_capacity", "gauge", "Work units held at most (in flight + queue); past it, 429.", gate.Capacity);
        Single(w, "crucible_ready", "gauge", "1 while the replica admits work; 0 from the moment shutdown is announced.", ready() ? 1 : 0);
        Single(w, "crucible_idempotent_replays_total", "counter", "Requests answered from an earlier request with the same Idempotency-Key instead of running again.", idempotency.Replays);
        Single(w, "crucible_idempotency_cached_answers", "gauge", "Answers kept (or running) for Idempotency-Key replays.", idempotency.Count);
        Single(w, "crucible_sandbox_active_runs", "gauge", "Sandbox runs (and compilations) executing now.", pool.ActiveRuns);
        Single(w, "crucible_sandbox_waiting_runs", "gauge", "Sandbox runs waiting for a run slot.", pool.WaitingRuns);
        Single(w, "crucible_sandbox_open_sessions", "gauge", "Sandbox sessions open (one per submission being judged).", pool.OpenSessions);
        Single(w, "crucible_sandbox_run_slots", "gauge", "Sandbox runs allowed at once.", pool.Options.MaxParallelRuns);
        Single(w, "crucible_sandbox_runs_completed_total", "counter", "Sandbox runs finished since the pool started.", pool.RunsCompleted);
        if (pool.SandboxCpuTime is { } sandboxCpu)
            Single(w, "crucible_sandbox_cpu_seconds_total", "counter", "CPU time of every sandboxed process (runs, compiles, warm runners, zygotes), from cgroup accounting; divide by runs for CPU per unit of work.", sandboxCpu.TotalSeconds);
        Family(w, "crucible_sandbox_runs_total", "counter", "Sandbox runs by how they were executed: a zygote child, a warm runner's fork, or a cold sandbox.");
        Sample(w, "crucible_sandbox_runs_total", pool.ZygoteRuns, ("path", "zygote"));
        Sample(w, "crucible_sandbox_runs_total", pool.WarmRuns, ("path", "warm"));
        Sample(w, "crucible_sandbox_runs_total", pool.ColdRuns, ("path", "cold"));
        Single(w, "crucible_zygote_idle_replacements_total", "counter", "Zygotes replaced by fresh ones after sitting idle.", pool.ZygoteIdleReplacements);
        Single(w, "crucible_zygote_slot_waits_total", "counter", "Times a zygote run found every cgroup slot busy or draining and waited.", pool.ZygoteSlotWaits);
        Single(w, "crucible_zygote_slot_fallbacks_total", "counter", "Zygote runs served another way because no cgroup slot emptied in time.", pool.ZygoteSlotFallbacks);
        Single(w, "crucible_zygote_runner_starts_total", "counter", "Warm runners started as zygote children.", pool.ZygoteRunnersStarted);
        Single(w, "crucible_zygote_runner_fallbacks_total", "counter", "Warm runners that could not be forked from a zygote and were started in bubblewrap instead.", pool.ZygoteRunnerFallbacks);
        Single(w, "crucible_compile_cache_bytes", "gauge", "Bytes this process counts in the compile cache (entries other processes add are counted at its next eviction pass).", pool.CompileCache.SizeBytes);
        Single(w, "crucible_compile_cache_budget_bytes", "gauge", "Most bytes the compile cache may hold (crucible serve --cache-size).", pool.CompileCache.BudgetBytes);
        Single(w, "crucible_compile_cache_evictions_total", "counter", "Compile cache entries evicted, least recently used first.", pool.CompileCache.Evictions);
        return w.ToString();
    }

    private static void Family(StringBuilder w, string name, string type, string help) =>
        w.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Single(StringBuilder w, string name, string type, string help, double value)
    {
        Family(w, name, type, help);
        Sample(w, name, value);
    }

    internal static void Sample(StringBuilder w, string name, double value, params (string Name, string Value)[] labels)
    {
        w.Append(name);
        if (labels.Length > 0)
        {
            w.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0) w.Append(',');
                w.Append(labels[i].Name).Append("=\"").Append(Escape(labels[i].Value)).Append('"');
            }
            w.Append('}');
        }
        w.Append(' ').Append(Format(value)).Append('\n');
    }

    internal static string Format(double v) =>
        double.IsPositiveInfinity(v) ? "+Inf" : v.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string s) =>
        s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private sealed class Box
    {
        public long Value;
    }

    /// <summary>One endpoint's latency histogram: per-bucket counts, cumulated only when rendered.</summary>
    private sealed class LatencyHistogram
    {
        private readonly long[] _counts = new long[Buckets.Length + 1];
        private long _sumMicros;

        public void Observe(double seconds)
        {
            var i = Array.BinarySearch(Buckets, seconds);
            if (i < 0) i = ~i;
            Interlocked.Increment(ref _counts[i]);
            Interlocked.Add(ref _sumMicros, (long)(seconds * 1e6));
        }

        public void Render(StringBuilder w, string name, string endpoint)
        {
            long cumulative = 0;
            for (var i = 0; i < Buckets.Length; i++)
            {
                cumulative += Interlocked.Read(ref _counts[i]);
                Sample(w, name + "_bucket", cumulative, ("endpoint", endpoint), ("le", Format(Buckets[i])));
            }
            cumulative += Interlocked.Read(ref _counts[Buckets.Length]);
            Sample(w, name + "_bucket", cumulative, ("endpoint", endpoint), ("le", "+Inf"));
            Sample(w, name + "_sum", Interlocked.Read(ref _sumMicros) / 1e6, ("endpoint", endpoint));
            Sample(w, name + "_count", cumulative, ("endpoint", endpoint));
        }
    }
}
