using System.Security.Cryptography;
using System.Text;
using Crucible.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Crucible.Server;

/// <summary>Probes, metrics, the language list, and the bearer-token check in front of everything else.</summary>
internal static class OperationalEndpoints
{
    public static void Map(WebApplication app, ExecutionHost host)
    {
        app.MapGet("/health", (HttpContext ctx) => ExecutionHost.WriteJsonAsync(ctx, 200, Health(host)));
        app.MapGet("/ready", (HttpContext ctx) => ExecutionHost.WriteJsonAsync(ctx, host.Ready ? 200 : 503, Health(host)));
        app.MapGet("/metrics", async (HttpContext ctx) =>
        {
            ctx.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await host.Metrics.WriteAsync(ctx.Response.Body, ctx.RequestAborted).ConfigureAwait(false);
        });
        app.MapGet("/v1/languages", (HttpContext ctx) => ExecutionHost.WriteJsonAsync(ctx, 200, host.Pool.Languages.All.Select(l => new LanguageInfo
        {
            Id = l.Id,
            DisplayName = l.DisplayName,
            Aliases = l.Aliases,
            Available = l.Available,
            Version = l.Version,
            UnavailableReason = l.UnavailableReason,
            Compiled = l.IsCompiled,
        }).ToList()));
        // SandboxFusion's liveness probe answers the JSON string "pong"; clients written for it probe this path.
        app.MapGet("/v1/ping", (HttpContext ctx) => ExecutionHost.WriteJsonAsync(ctx, 200, "pong"));
    }

    private static HealthReport Health(ExecutionHost host) => new()
    {
        Status = host.Draining ? "draining" : host.Ready ? "ok" : "unready",
        MaxInFlight = host.Gate.MaxInFlight,
        QueueLimit = host.Gate.QueueLimit,
        InFlight = host.Gate.InFlight,
        Queued = host.Gate.Queued,
        SandboxParallelRuns = host.Pool.Options.MaxParallelRuns,
        Isolation = host.Pool.Isolation.ToString(),
        Version = typeof(OperationalEndpoints).Assembly.GetName().Version?.ToString(),
    };

    /// <summary>
    /// Requires <c>Authorization: Bearer &lt;token&gt;</c> on every path but the probes, when a token is configured.
    /// The comparison takes the same time whatever the guess, so the token cannot be found byte by byte.
    /// </summary>
    public static void UseBearerToken(WebApplication app, string? token)
    {
        if (token is null) return;
        var expected = Encoding.UTF8.GetBytes(token);
        app.Use(async (ctx, next) =>
        {
            var path = ctx.Request.Path.Value ?? "";
            if (path is "/health" or "/ready")
            {
                await next(ctx).ConfigureAwait(false);
                return;
            }
            var header = ctx.Request.Headers.Authorization.ToString();
            var given = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8.GetBytes(header[7..].Trim()) : [];
            if (!CryptographicOperations.FixedTimeEquals(given, expected))
            {
                await ExecutionHost.WriteErrorAsync(ctx, new ApiException(401, "unauthorized", "Authorization",
                    header.Length == 0 ? "this server requires a token: send 'Authorization: Bearer <token>'." : "the bearer token is not valid for this server.")).ConfigureAwait(false);
                return;
            }
            await next(ctx).ConfigureAwait(false);
        });
    }
}
