using Crucible.Client;
using Crucible.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Crucible.Server;

/// <summary>
/// The execution service: SandboxFusion-compatible <c>/run_code</c>, <c>/v1/judge</c>, <c>/v1/rewards</c>, probes and
/// metrics over one sandbox pool, with bounded admission and a graceful drain on shutdown.
/// Create, <see cref="StartAsync"/>, and <see cref="DisposeAsync"/> (which stops it) when done.
/// </summary>
public sealed class CrucibleServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ExecutionHost _host;
    private readonly bool _ownsPool;

    private CrucibleServer(WebApplication app, ExecutionHost host, bool ownsPool)
    {
        _app = app;
        _host = host;
        _ownsPool = ownsPool;
    }

    /// <summary>Builds a server. Without <paramref name="pool"/> it creates (and later disposes) its own from <see cref="ServerOptions.Sandbox"/>.</summary>
    public static CrucibleServer Create(ServerOptions options, SandboxPool? pool = null, LogLevel minimumLogLevel = LogLevel.Information)
    {
        options.Validate();
        var ownsPool = pool is null;
        pool ??= SandboxPool.Create(options.Sandbox);
        // No configuration file is read, so none is watched: reloading on change watched the working directory
        // recursively (a thread woken by every file written below it, e.g. a state root there), for nothing.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.SetMinimumLevel(minimumLogLevel);
        builder.Logging.AddFilter("Microsoft", minimumLogLevel < LogLevel.Warning ? LogLevel.Warning : minimumLogLevel);
        builder.WebHost.UseUrls([.. options.Urls]);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            k.AddServerHeader = false;
        });
        // Kestrel waits this long for in-flight requests; the drain cancels work earlier so they are all answered.
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.DrainTimeout + TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<IHostLifetime>(sp => new ShutdownSignals(sp.GetRequiredService<IHostApplicationLifetime>(), options.UnreadyDelay));
        var app = builder.Build();
        var host = new ExecutionHost(options, pool, app.Logger);
        ((ShutdownSignals)app.Services.GetRequiredService<IHostLifetime>()).Host = host;
        app.Lifetime.ApplicationStopping.Register(host.BeginDrain);
        // Every answer tells the client how loaded this replica is, so a client of many replicas can weigh them.
        app.Use((ctx, next) =>
        {
            ctx.Response.OnStarting(() =>
            {
                ctx.Response.Headers[LoadHeader] = host.LoadReport();
                return Task.CompletedTask;
            });
            return next(ctx);
        });

        OperationalEndpoints.UseBearerToken(app, options.BearerToken);
        OperationalEndpoints.Map(app, host);
        app.MapPost("/run_code", ctx => RunCodeEndpoint.HandleAsync(host, ctx));
        app.MapPost("/v1/judge", ctx => JudgeEndpoint.HandleAsync(host, ctx));
        app.MapPost("/v1/rewards", ctx => RewardsEndpoint.HandleAsync(host, ctx));
        app.MapPost("/v1/swe/grade", ctx => SweGradeEndpoint.HandleAsync(host, ctx));
        app.MapFallback((HttpContext ctx) => ExecutionHost.WriteErrorAsync(ctx, new ApiException(404, "not_found", "path",
            $"no endpoint {ctx.Request.Method} {ctx.Request.Path}; see POST /run_code, /v1/judge, /v1/rewards, GET /health, /ready, /metrics, /v1/languages.")));
        return new CrucibleServer(app, host, ownsPool);
    }

    /// <summary>Response header carrying <see cref="ExecutionHost.LoadReport"/>.</summary>
    public const string LoadHeader = "X-Crucible-Load";

    public SandboxPool Pool => _host.Pool;

    /// <summary>What SIGTERM does first: <c>/ready</c> answers 503 while work is still admitted (for tests and embedders).</summary>
    public void MarkUnready() => _host.MarkUnready();

    /// <summary>Bound addresses once started (a port of 0 resolved to the real one).</summary>
    public IReadOnlyList<Uri> Addresses =>
        _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.Select(a => new Uri(a)).ToList() ?? [];

    /// <summary>Capacity in work units: executing at once, and waiting.</summary>
    public (int MaxInFlight, int QueueLimit) Capacity => (_host.Gate.MaxInFlight, _host.Gate.QueueLimit);

    public Task StartAsync(CancellationToken cancellationToken = default) => _app.StartAsync(cancellationToken);

    /// <summary>Waits for SIGINT/SIGTERM (or <paramref name="cancellationToken"/>), then drains and stops.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops taking requests, lets in-flight ones finish for the drain period, answers the rest as interrupted.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _host.BeginDrain();
        await _app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync().ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        catch (InvalidOperationException) { /* never started */ }
        await _app.DisposeAsync().ConfigureAwait(false);
        _host.Dispose();
        if (_ownsPool) await _host.Pool.DisposeAsync().ConfigureAwait(false);
    }
}
