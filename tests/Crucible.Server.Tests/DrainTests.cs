using System.Text.Json;

namespace Crucible.Server.Tests;

/// <summary>What a replica answers for work its shutdown drain cut off: retryable, never a verdict or a score.</summary>
public sealed class DrainTests
{
    private static readonly string Truth = JsonSerializer.Serialize(new { inputs = new[] { "1 2\n" }, outputs = new[] { "3\n" } });

    private static object Item(string code) => new { data_source = "x", solution_str = $"```python\n{code}\n```", ground_truth = Truth };

    [Fact]
    public async Task ABatchCutOffByTheDrainKeepsWhatWasScoredAndMarksTheRestForRetry()
    {
        var s = await TestServer.StartAsync(o => o with { DrainTimeout = TimeSpan.FromSeconds(3) });
        var marker = "crucible-drain-batch-" + Guid.NewGuid().ToString("N")[..12];
        var batch = s.PostRawAsync("v1/rewards", JsonSerializer.Serialize(new
        {
            items = new[] { Item("a, b = map(int, input().split())\nprint(a + b)"), Item(SandboxProcesses.SleeperSource(marker, 60)) },
            cpu_time_limit_s = 100,
        }));
        await SandboxProcesses.WaitForAsync(marker, TimeSpan.FromSeconds(30));
        var stopping = s.Server.StopAsync();
        var (status, body, _) = await batch;
        Assert.Equal(200, status);
        var results = body.GetProperty("results");
        Assert.Equal(1.0, results[0].GetProperty("score").GetDouble());
        Assert.Equal("infra_error", results[1].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, results[1].GetProperty("score").ValueKind);
        await stopping;
        await s.DisposeAsync();
    }

    [Fact]
    public async Task ABatchWithNothingScoredBeforeTheDrainEndedIsARetryableRefusal()
    {
        var s = await TestServer.StartAsync(o => o with { DrainTimeout = TimeSpan.FromSeconds(2) });
        var marker = "crucible-drain-none-" + Guid.NewGuid().ToString("N")[..12];
        var batch = s.PostRawAsync("v1/rewards", JsonSerializer.Serialize(new { items = new[] { Item(SandboxProcesses.SleeperSource(marker, 60)) }, cpu_time_limit_s = 100 }),
            m => m.Headers.Add("Idempotency-Key", "drained-batch"));
        await SandboxProcesses.WaitForAsync(marker, TimeSpan.FromSeconds(30));
        var stopping = s.Server.StopAsync();
        var (status, body, response) = await batch;
        Assert.Equal(503, status);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("shutting_down", body.GetProperty("error").GetProperty("code").GetString());
        await stopping;
        await s.DisposeAsync();
    }
}
