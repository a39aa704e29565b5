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
    private volatile bool _draining;

    public ExecutionHost(ServerOptions options, SandboxPool pool, ILogger logger)
    {
        Options = options;
        Pool = pool;
        Judge = new Judge.Judge(pool);
        Gate = new AdmissionGate(options.EffectiveMaxInFlight(pool.Options.MaxParallelRuns), options.QueueLimit);
        Metrics = new ServerMetrics(Gate, pool);
        Logger = logger;
    }

    public ServerOptions Options { get; }
    public SandboxPool Pool { get; }
    public Judge.Judge Judge { get; }
    public AdmissionGate Gate { get; }
    public ServerMetrics Metrics { get; }
    public ILogger Logger { get; }
    public bool Draining => _draining;

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
    /// the work for admission; <paramref name="execute"/> runs it under the request's scope.
    /// </summary>
    public async Task HandleAsync<TRequest, TWork>(HttpContext context, string endpoint, Func<TRequest, TWork> prepare,
        Func<TWork, int> units, Func<TWork, RequestScope, Task<object>> execute) where TRequest : class
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var status = StatusCodes.Status200OK;
        try
        {
            if (_draining)
                throw new ApiException(503, "shutting_down", null, "the server is shutting down; retry on another replica.", 1);
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
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _drain.Token);
            cts.CancelAfter(deadline);
            var scope = new RequestScope(ticket, context, _drain.Token, deadline, cts.Token);
            var result = await execute(work, scope).ConfigureAwait(false);
            await WriteJsonAsync(context, StatusCodes.Status200OK, result).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            status = e.StatusCode;
            await WriteErrorAsync(context, e).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            status = 499; // nginx's "client closed request": there is no one to answer
        }
        catch (Exception e)
        {
            status = StatusCodes.Status500InternalServerError;
            Logger.LogError(e, "{Endpoint} failed", endpoint);
            await WriteErrorAsync(context, new ApiException(status, "internal", null, $"internal error: {e.GetType().Name}: {e.Message}")).ConfigureAwait(false);
        }
        finally
        {
            Metrics.Request(endpoint, status, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

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
        if (e.RetryAfterSeconds is { } after) context.Response.Headers.RetryAfter = after.ToString(CultureInfo.InvariantCulture);
        if (e.StatusCode == 401) context.Response.Headers.WWWAuthenticate = "Bearer";
        var loc = e.Field is null ? new[] { "body" } : new[] { "body", e.Field };
        return WriteJsonAsync(context, e.StatusCode, new ErrorResponse
        {
            Error = new ErrorBody { Code = e.Code, Field = e.Field, Message = e.Message },
            Detail = [new ValidationDetail { Loc = loc, Msg = e.Message, Type = e.Code }],
        });
    }

    public void Dispose() => _drain.Dispose();
}
