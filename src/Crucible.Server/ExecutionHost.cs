using System.Globalization;
using System.Text.Json;
using Crucible.Client;
using Crucible.Sandbox;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Crucible.Server;

/// <summary>
/// What every execution endpoint shares: the sandbox pool, the judge, admission, metrics and the shutdown drain.
/// <see cref="HandleAsync{TRequest}"/> is the one request pipeline: refuse while draining, read and validate the
/// body, admit or answer 429, run under the deadline, answer — every failure as JSON naming the field at fault.
/// </summary>
internal sealed class ExecutionHost : IDisposable
{
    private readonly CancellationTokenSource _drain = new();
    private volatile bool _draining, _unready;

    public ExecutionHost(ServerOptions options, SandboxPool pool, ILogger logger)
    {
        Options = options;
        Pool = pool;
        Judge = new Judge.Judge(pool);
        Gate = new AdmissionGate(options.EffectiveMaxInFlight(pool.Options.MaxParallelRuns), options.QueueLimit);
        Idempotency = new IdempotencyCache(options.IdempotencyCacheBytes);
        Metrics = new ServerMetrics(Gate, pool, Idempotency, () => Ready);
        Logger = logger;
    }

    public ServerOptions Options { get; }
    public SandboxPool Pool { get; }
    public Judge.Judge Judge { get; }
    public AdmissionGate Gate { get; }
    public IdempotencyCache Idempotency { get; }
    public ServerMetrics Metrics { get; }
    public ILogger Logger { get; }
    public bool Draining => _draining;

    /// <summary>False from the moment shutdown is announced (before admission stops): load balancers take the replica out first.</summary>
    public bool Ready => !_unready && !_draining;

    /// <summary>Shutdown is announced: <c>/ready</c> answers 503 while work is still admitted for the unready delay.</summary>
    public void MarkUnready() => _unready = true;

    /// <summary>
    /// This replica's load as clients weigh it: <c>in_flight=N; queued=N; max_in_flight=N; ready=0|1</c>, on every
    /// response (header <c>X-Crucible-Load</c>) — a client spreading work learns each replica's load from its answers.
    /// </summary>
    public string LoadReport() => string.Create(CultureInfo.InvariantCulture,
        $"in_flight={Gate.InFlight}; queued={Gate.Queued}; max_in_flight={Gate.MaxInFlight}; ready={(Ready ? 1 : 0)}");

    /// <summary>Shutdown has begun: refuse new work, let admitted work finish for the drain period, then cancel it.</summary>
    public void BeginDrain()
    {
        if (_draining) return;
        _draining = true;
        _drain.CancelAfter(Options.DrainTimeout);
    }

    /// <summary>
    /// The request pipeline. <paramref name="prepare"/> validates the body and turns it into work (throwing
    /// <see cref="InvalidFieldException"/> for a bad field) before anything is queued; <paramref name="units"/> sizes
    /// the work for admission; <paramref name="execute"/> runs it under the request's scope. A request with an
    /// <c>Idempotency-Key</c> joins an earlier one with the same key (running or recently answered) instead of running.
    /// </summary>
    public async Task HandleAsync<TRequest, TWork>(HttpContext context, string endpoint, Func<TRequest, TWork> prepare,
        Func<TWork, int> units, Func<TWork, RequestScope, Task<object>> execute) where TRequest : class
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        Answer answer;
        try
        {
            answer = IdempotentRequest.ReadKey(context) is { } key
                ? await IdempotentRequest.AnswerAsync(this, context, endpoint + " " + key,
                    () => ProduceAsync(context, endpoint, prepare, units, execute, followClient: false)).ConfigureAwait(false)
                : await ProduceAsync(context, endpoint, prepare, units, execute, followClient: true).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            answer = ErrorAnswer(e);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            answer = Answer.ClientGone;
        }
        await WriteAnswerAsync(context, answer).ConfigureAwait(false);
        Metrics.Request(endpoint, answer.Status, System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Runs one request to its answer. With <paramref name="followClient"/> false the work goes on when the client
    /// disconnects, so the retry it sends with the same idempotency key gets the answer instead of running again.
    /// </summary>
    private async Task<Answer> ProduceAsync<TRequest, TWork>(HttpContext context, string endpoint, Func<TRequest, TWork> prepare,
        Func<TWork, int> units, Func<TWork, RequestScope, Task<object>> execute, bool followClient) where TRequest : class
    {
        try
        {
            if (_draining) throw ShuttingDown("the server is shutting down; retry on another replica.");
            // Under overload most requests are refused: refuse before reading (and parsing) their bodies.
            if (Gate.IsFull)
            {
                Gate.NoteRejected();
                throw Overloaded();
            }
            var deadline = DeadlineOf(context);
            var request = await RequestBody.ReadAsync<TRequest>(context, Options.MaxRequestBodyBytes, context.RequestAborted).ConfigureAwait(false);
            TWork work;
            try { work = prepare(request); }
            catch (InvalidFieldException e) { throw ApiException.Invalid(e.Field, e.Message); }
            var size = units(work);
            if (size > Gate.Capacity)
                throw new ApiException(413, "too_large", "items",
                    $"the batch has {size} items but the server holds at most {Gate.Capacity} at once; split it into batches of at most {Gate.Capacity} or raise --queue.");
            using var ticket = Gate.TryAdmit(size) ?? throw Overloaded();
            var client = followClient ? context.RequestAborted : CancellationToken.None;
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(client, _drain.Token);
            cts.CancelAfter(deadline);
            var scope = new RequestScope(ticket, client, _drain.Token, deadline, cts.Token, ShuttingDown("").StatusCode);
            var result = await execute(work, scope).ConfigureAwait(false);
            return new Answer(StatusCodes.Status200OK, JsonSerializer.SerializeToUtf8Bytes(result, result.GetType(), WireJson.Options), null, IsComplete(result));
        }
        catch (ApiException e)
        {
            return ErrorAnswer(e);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return Answer.ClientGone;
        }
        catch (Exception e)
        {
            Logger.LogError(e, "{Endpoint} failed", endpoint);
            return ErrorAnswer(new ApiException(StatusCodes.Status500InternalServerError, "internal", null, $"internal error: {e.GetType().Name}: {e.Message}"));
        }
    }

    /// <summary>An answer that reports no infrastructure failure or interruption: the same request would get the same one.</summary>
    private static bool IsComplete(object result) => result switch
    {
        JudgeResponse j => !j.InfraError,
        RewardsResponse r => r.Summary.InfraErrors == 0,
        RunCodeResponse r => r.Status != RunStatus.SandboxError,
        _ => true,
    };

    /// <summary>
    /// The retryable refusal of a replica that is going away: 503 with Retry-After, or 504 when the operator chose
    /// --busy-status 504 for clients that retry nothing else (verl's SandboxFusion client).
    /// </summary>
    public ApiException ShuttingDown(string message) => new(Options.BusyStatusCode == 504 ? 504 : 503, "shutting_down", null, message, 1);

    private ApiException Overloaded() => new(Options.BusyStatusCode, "overloaded", null,
        $"the server is at capacity ({Gate.InFlight} running, {Gate.Queued} queued, limit {Gate.Capacity}); retry after the Retry-After delay or on another replica.",
        Gate.RetryAfterSeconds());

    /// <summary>The server's request timeout, or less when the client sends <c>X-Crucible-Timeout: seconds</c>.</summary>
    private TimeSpan DeadlineOf(HttpContext context)
    {
        if (!context.Request.Headers.TryGetValue("X-Crucible-Timeout", out var value)) return Options.RequestTimeout;
        // NaN and infinities parse as doubles; neither is a deadline.
        if (!double.TryParse(value.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !double.IsFinite(seconds) || seconds < 0.001)
            throw ApiException.Invalid("X-Crucible-Timeout", $"the X-Crucible-Timeout header must be a positive number of seconds (at least 0.001), got '{value}'.");
        var asked = TimeSpan.FromSeconds(Math.Min(seconds, 86_400));
        return asked < Options.RequestTimeout ? asked : Options.RequestTimeout;
    }

    public static async Task WriteJsonAsync(HttpContext context, int status, object body)
    {
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested) return;
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        try
        {
            await JsonSerializer.SerializeAsync(context.Response.Body, body, body.GetType(), WireJson.Options, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { /* the client left while we wrote */ }
        catch (IOException) { }
    }

    public static Task WriteErrorAsync(HttpContext context, ApiException e)
    {
        if (context.Response.HasStarted) return Task.CompletedTask;
        if (e.StatusCode == 401) context.Response.Headers.WWWAuthenticate = "Bearer";
        return WriteAnswerAsync(context, ErrorAnswer(e));
    }

    public static Answer ErrorAnswer(ApiException e)
    {
        var loc = e.Field is null ? new[] { "body" } : new[] { "body", e.Field };
        var body = new ErrorResponse
        {
            Error = new ErrorBody { Code = e.Code, Field = e.Field, Message = e.Message },
            Detail = [new ValidationDetail { Loc = loc, Msg = e.Message, Type = e.Code }],
        };
        return new Answer(e.StatusCode, JsonSerializer.SerializeToUtf8Bytes(body, WireJson.Options), e.RetryAfterSeconds, false);
    }

    public static async Task WriteAnswerAsync(HttpContext context, Answer answer)
    {
        if (answer.Status == Answer.ClientGone.Status || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested) return;
        context.Response.StatusCode = answer.Status;
        if (answer.RetryAfterSeconds is { } after) context.Response.Headers.RetryAfter = after.ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = answer.Body.Length;
        try
        {
            await context.Response.Body.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { /* the client left while we wrote */ }
        catch (IOException) { }
    }

    public void Dispose() => _drain.Dispose();
}
