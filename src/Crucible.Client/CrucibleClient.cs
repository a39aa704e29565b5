using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Crucible.Judge;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Crucible.Client;

/// <summary>
/// Client of one or more <c>crucible serve</c> replicas (or one Service URL in front of many). Each request goes to
/// the replica with the least work per execution slot — this client's own outstanding work plus the load the
/// replica last reported in <c>X-Crucible-Load</c> — and replicas that are draining are left alone. A request that
/// fails on one server (refused or lost connection, timeout, 429, 5xx, or an infrastructure error in the body) is
/// retried on another, with backoff (and the server's Retry-After when no other server is left). Every attempt of
/// one request carries the same <c>Idempotency-Key</c>, so a server that sees it twice (a retry after a lost
/// answer, or through a Service that routed it back) answers from the first instead of judging again; the caller
/// gets exactly one answer per call. A server that keeps failing is skipped for
/// <see cref="CrucibleClientOptions.BreakDuration"/> (a circuit breaker per server).
/// </summary>
public sealed class CrucibleClient : IDisposable
{
    private readonly CrucibleClientOptions _options;
    private readonly HttpClient _http;
    private readonly Replica[] _backends;
    private int _next = -1;

    public CrucibleClient(CrucibleClientOptions options, HttpMessageHandler? handler = null)
    {
        if (options.Servers.Count == 0) throw new ArgumentException("at least one server URL is required", nameof(options));
        if (options.MaxAttempts < 1) throw new ArgumentException("MaxAttempts must be at least 1", nameof(options));
        _options = options;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _backends = options.Servers.Select(u => new Replica(u, options.BreakDuration)).ToArray();
    }

    /// <summary>Client of the servers in <c>URL[,URL…]</c>.</summary>
    public static CrucibleClient Create(string servers, string? bearerToken = null) =>
        new(new CrucibleClientOptions { Servers = CrucibleClientOptions.ParseServers(servers), BearerToken = bearerToken });

    public IReadOnlyList<Uri> Servers => _options.Servers;

    /// <summary>SandboxFusion-compatible single run.</summary>
    public async Task<RunCodeResponse> RunCodeAsync(RunCodeRequest request, CancellationToken cancellationToken = default)
        => await SendAsync<RunCodeResponse>("run_code", request, 1, r => r.Status == RunStatus.SandboxError, cancellationToken).ConfigureAwait(false);

    public async Task<JudgeResponse> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken = default)
        => await SendAsync<JudgeResponse>("v1/judge", request, 1, r => r.InfraError, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Judges a submission on a server: a drop-in for <see cref="Judge.Judge.JudgeAsync"/> (same inputs, same result),
    /// so an evaluation can switch between the in-process judge and a fleet of servers.
    /// </summary>
    public async Task<JudgeResult> JudgeAsync(Submission submission, JudgeOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= JudgeOptions.Default;
        var spec = ProblemSpec.From(submission.Problem);
        // The server's judge has its own defaults: send ours so the result matches the in-process judge.
        spec = spec with
        {
            CpuTimeLimitSeconds = spec.CpuTimeLimitSeconds ?? options.DefaultCpuTimePerTest.TotalSeconds,
            MemoryLimitMB = spec.MemoryLimitMB ?? options.DefaultMemoryBytes >> 20,
        };
        var response = await JudgeAsync(new JudgeRequest
        {
            Language = submission.Language,
            Code = submission.Code,
            Problem = spec,
            StopAtFirstFailure = options.StopAtFirstFailure,
            CpuTimeLimitSeconds = options.CpuTimePerTestOverride?.TotalSeconds,
            Batch = options.Batch,
            PythonPrelude = options.PythonPrelude ?? "",
        }, cancellationToken).ConfigureAwait(false);
        return response.ToResult();
    }

    /// <summary>
    /// Scores a batch. Items that come back as infrastructure errors are re-sent (only them) to other servers while
    /// attempts remain; the rest keep their first answer. Indexes always refer to the request's items.
    /// </summary>
    public async Task<RewardsResponse> RewardsAsync(RewardsRequest request, CancellationToken cancellationToken = default)
    {
        var items = request.Items ?? throw new ArgumentException("Items is required", nameof(request));
        var first = await SendAsync<RewardsResponse>("v1/rewards", request, items.Count, _ => false, cancellationToken).ConfigureAwait(false);
        if (!_options.RetryInfrastructureErrors) return first;
        var results = first.Results.ToArray();
        for (var round = 1; round < _options.MaxAttempts; round++)
        {
            var pending = results.Where(r => r.Status == RewardStatus.InfraError).Select(r => r.Index).ToList();
            if (pending.Count == 0) break;
            var again = await SendAsync<RewardsResponse>("v1/rewards", request with { Items = pending.Select(i => items[i]).ToList() },
                pending.Count, _ => false, cancellationToken).ConfigureAwait(false);
            foreach (var r in again.Results) results[pending[r.Index]] = r with { Index = pending[r.Index] };
        }
        var scored = results.Where(r => r.Status == RewardStatus.Scored).ToList();
        return first with
        {
            Results = results.ToList(),
            Summary = new RewardSummary
            {
                Scored = scored.Count,
                InfraErrors = results.Count(r => r.Status == RewardStatus.InfraError),
                Invalid = results.Count(r => r.Status == RewardStatus.Invalid),
                MeanScore = scored.Count == 0 ? null : scored.Average(r => r.Score ?? 0),
            },
        };
    }

    public async Task<IReadOnlyList<LanguageInfo>> LanguagesAsync(CancellationToken cancellationToken = default)
        => await SendAsync<List<LanguageInfo>>("v1/languages", null, 0, _ => false, cancellationToken).ConfigureAwait(false);

    /// <summary>Health of one server (no retry, no spreading): for probes and load tools.</summary>
    public async Task<HealthReport> HealthAsync(Uri server, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync(new Uri(server, "health"), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await ReadAsync<HealthReport>(response.Content, cancellationToken).ConfigureAwait(false)
            ?? throw new IOException($"{server}health answered an empty body");
    }

    /// <summary>Header naming one logical request across its attempts (see the server's idempotency cache).</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private async Task<T> SendAsync<T>(string path, object? body, int units, Func<T, bool> isInfraError, CancellationToken ct)
    {
        var payload = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), WireJson.Options);
        var key = payload is null ? null : Guid.NewGuid().ToString("N");
        Replica? previous = null;
        var retry = new ResiliencePipelineBuilder<ServerAnswer<T>>()
            .AddRetry(new RetryStrategyOptions<ServerAnswer<T>>
            {
                MaxRetryAttempts = _options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: OperationCanceledException } when ct.IsCancellationRequested => false,
                    { Exception: HttpRequestException or BrokenCircuitException or TimeoutException or IOException } => true,
                    { Result: { } a } => a.Transient || (a.InfraError && _options.RetryInfrastructureErrors),
                    _ => false,
                }),
                // Retry-After is the busy server's wish for itself: honoured only when no other server can take the retry.
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter is { } after && !HasAlternative(previous)
                    ? (TimeSpan?)(after > _options.MaxRetryAfter ? _options.MaxRetryAfter : after)
                    : null),
            })
            .Build();

        ServerAnswer<T> answer;
        try
        {
            answer = await retry.ExecuteAsync(async token =>
            {
                var replica = Pick(previous);
                previous = replica;
                return await replica.Breaker.ExecuteAsync(
                    async t => await AttemptAsync(replica, path, payload, key, units, isInfraError, t).ConfigureAwait(false), token).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or BrokenCircuitException or TimeoutException or IOException)
        {
            throw new CrucibleServerException(
                $"no server answered {path} after {_options.MaxAttempts} attempt(s) over {_backends.Length} server(s): {e.Message}", null, null, e);
        }
        if (answer.Value is { } value && answer.Status == HttpStatusCode.OK) return value;
        var detail = answer.Error is { } err ? $"{err.Code}{(err.Field is null ? "" : $" ({err.Field})")}: {err.Message}" : "no error body";
        throw new CrucibleServerException($"{answer.Server}{path} answered {(int)answer.Status} {answer.Status}: {detail}", answer.Status, answer.Error);
    }

    private async Task<ServerAnswer<T>> AttemptAsync<T>(Replica replica, string path, byte[]? payload, string? key, int units,
        Func<T, bool> isInfraError, CancellationToken ct)
    {
        replica.Begin(units);
        try
        {
            var answer = await AttemptOnceAsync(replica, path, payload, key, units, isInfraError, ct).ConfigureAwait(false);
            // Going away: let the others take new work; the retry of this one goes elsewhere anyway.
            if (answer.Status == HttpStatusCode.ServiceUnavailable) replica.Avoid(answer.RetryAfter ?? TimeSpan.FromSeconds(1));
            return answer;
        }
        catch (HttpRequestException) when (!ct.IsCancellationRequested)
        {
            // Refused or lost connection: a dead or stopping replica. Its circuit opens after a few; until then, skip it briefly.
            replica.Avoid(TimeSpan.FromSeconds(1));
            throw;
        }
        finally
        {
            replica.End(units);
        }
    }

    private async Task<ServerAnswer<T>> AttemptOnceAsync<T>(Replica replica, string path, byte[]? payload, string? key, int units,
        Func<T, bool> isInfraError, CancellationToken ct)
    {
        var server = replica.Uri;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.AttemptTimeout);
        using var message = new HttpRequestMessage(payload is null ? HttpMethod.Get : HttpMethod.Post, new Uri(server, path));
        if (payload is not null)
        {
            message.Content = new ByteArrayContent(payload);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        if (_options.BearerToken is { } token) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (key is not null) message.Headers.Add(IdempotencyKeyHeader, key);
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            replica.NoteLoad(response.Headers.TryGetValues(LoadHeader, out var load) ? load.FirstOrDefault() : null, units);
            var retryAfter = response.Headers.RetryAfter is { } ra
                ? ra.Delta ?? (ra.Date is { } d ? d - DateTimeOffset.UtcNow : null)
                : null;
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var value = await ReadAsync<T>(response.Content, timeout.Token).ConfigureAwait(false)
                    ?? throw new IOException($"{server}{path} answered an empty body");
                return new ServerAnswer<T>(server, response.StatusCode, value, null, retryAfter) { InfraError = isInfraError(value) };
            }
            ErrorBody? error = null;
            try { error = (await ReadAsync<ErrorResponse>(response.Content, timeout.Token).ConfigureAwait(false))?.Error; }
            catch (JsonException) { }
            return new ServerAnswer<T>(server, response.StatusCode, default, error, retryAfter);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"{server}{path} did not answer within {_options.AttemptTimeout.TotalSeconds:0.#} s");
        }
        catch (JsonException e)
        {
            throw new IOException($"{server}{path} answered malformed JSON: {e.Message}", e);
        }
    }

    /// <summary>Response header in which a server reports its load.</summary>
    public const string LoadHeader = "X-Crucible-Load";

    /// <summary>
    /// The replica with the lowest <see cref="Replica.Score"/> among those available, never the one just tried while
    /// another exists; ties go round-robin. When none is available (all broken or draining), the least bad one.
    /// </summary>
    private Replica Pick(Replica? previous)
    {
        var start = (Interlocked.Increment(ref _next) & int.MaxValue) % _backends.Length;
        Replica? best = null, fallback = null;
        for (var i = 0; i < _backends.Length; i++)
        {
            var r = _backends[(start + i) % _backends.Length];
            if (_backends.Length > 1 && r == previous) continue;
            if (r.Unavailable)
            {
                if (fallback is null || r.State.CircuitState != CircuitState.Open) fallback = r;
                continue;
            }
            if (best is null || r.Score < best.Score) best = r;
        }
        if (best is not null) return best;
        return previous is { Unavailable: false } ? previous : fallback ?? previous ?? _backends[start];
    }

    private bool HasAlternative(Replica? previous) => _backends.Any(r => r != previous && !r.Unavailable);

    public void Dispose() => _http.Dispose();

    private static Task<T?> ReadAsync<T>(HttpContent content, CancellationToken ct) => content.ReadFromJsonAsync<T>(WireJson.Options, ct);
}
