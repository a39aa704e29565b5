using System.Net.Http.Json;
using System.Text.Json;
using Crucible.Client;

namespace Crucible.Server.Tests;

[Collection("server")]
public sealed class OperationalEndpointTests(ServerFixture fx)
{
    private TestServer S => fx.Server;

    [Fact]
    public async Task HealthAndReadyReportCapacity()
    {
        var health = await S.Http.GetFromJsonAsync<HealthReport>("health", WireJson.Options);
        Assert.Equal("ok", health!.Status);
        Assert.True(health.MaxInFlight >= 1);
        Assert.True(health.QueueLimit >= 0);
        Assert.Equal(S.Server.Pool.Options.MaxParallelRuns, health.SandboxParallelRuns);
        using var ready = await S.Http.GetAsync("ready");
        Assert.Equal(200, (int)ready.StatusCode);
    }

    [Fact]
    public async Task MetricsAreValidPrometheusTextAndCountRequests()
    {
        var (status, _, _) = await S.PostRawAsync("run_code", """{"code": "print(1)", "language": "python"}""");
        Assert.Equal(200, status);
        using var response = await S.Http.GetAsync("metrics");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
        var text = await response.Content.ReadAsStringAsync();
        foreach (var family in new[]
        {
            "crucible_http_requests_total", "crucible_http_request_duration_seconds", "crucible_verdicts_total",
            "crucible_admission_queue_depth", "crucible_admission_in_flight", "crucible_admission_rejected_total",
            "crucible_sandbox_active_runs", "crucible_sandbox_waiting_runs", "crucible_sandbox_open_sessions", "crucible_sandbox_runs_completed_total",
            "crucible_compile_cache_bytes", "crucible_compile_cache_budget_bytes", "crucible_compile_cache_evictions_total",
        })
            Assert.Contains($"# TYPE {family} ", text);
        Assert.Matches("""crucible_http_requests_total\{endpoint="run_code",code="200"\} [1-9]""", text);
        Assert.Matches("""crucible_verdicts_total\{endpoint="run_code",verdict="Ok"\} [1-9]""", text);
        Assert.Contains("crucible_http_request_duration_seconds_bucket{endpoint=\"run_code\",le=\"+Inf\"}", text);
        Assert.Matches("""crucible_compile_cache_budget_bytes [1-9]""", text);
        // The run above spent CPU in a sandbox; cgroup accounting (when there are cgroups) has counted it.
        if (text.Contains("# TYPE crucible_sandbox_cpu_seconds_total counter", StringComparison.Ordinal))
        {
            var cpu = text.Split('\n').Single(l => l.StartsWith("crucible_sandbox_cpu_seconds_total ", StringComparison.Ordinal));
            Assert.True(double.Parse(cpu.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) > 0, cpu);
        }
        // Every sample line is "name{labels} value" with a number Prometheus can parse.
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
            Assert.Matches("""^[a-z_]+(\{[^}]*\})? (\+Inf|-?[0-9.eE+-]+)$""", line);
    }

    [Fact]
    public async Task LanguagesListSandboxFusionAliases()
    {
        var languages = await S.Http.GetFromJsonAsync<List<LanguageInfo>>("v1/languages", WireJson.Options);
        var python = Assert.Single(languages!, l => l.Id == "python");
        Assert.True(python.Available);
        var js = Assert.Single(languages!, l => l.Id == "javascript");
        Assert.Contains("nodejs", js.Aliases);
    }

    [Fact]
    public async Task SandboxFusionPingAnswersPong()
    {
        using var response = await S.Http.GetAsync("v1/ping");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("\"pong\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownPathIsJson404()
    {
        using var response = await S.Http.GetAsync("v2/nothing");
        Assert.Equal(404, (int)response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("not_found", doc.RootElement.GetProperty("error").GetProperty("code").GetString());
    }
}
