using System.Text.Json;

namespace Crucible.Server.Tests;

/// <summary>Infrastructure failures: a sandbox killed from outside, and shutdown with work in flight.</summary>
public sealed class SandboxFailureTests
{
    [Fact]
    public async Task KillingOneSandboxFromOutsideFailsThatRequestOnlyAsSandboxError()
    {
        await using var s = await TestServer.StartAsync();
        var marker = "crucible-kill-" + Guid.NewGuid().ToString("N")[..12];
        var victim = s.PostRawAsync("run_code", JsonSerializer.Serialize(new { code = SandboxProcesses.SleeperSource(marker), language = "python", run_timeout = 60 }));
        var bystanders = Enumerable.Range(0, 3).Select(i => s.PostRawAsync("run_code",
            JsonSerializer.Serialize(new { code = $"import time\ntime.sleep(0.5)\nprint({i} * 7)", language = "python" }))).ToList();

        var sleeper = await SandboxProcesses.WaitForAsync(marker, TimeSpan.FromSeconds(30));
        var launcher = SandboxProcesses.LauncherOf(sleeper);
        Assert.True(launcher > 0, "the sandboxed program should descend from a launcher started by this process");
        var owner = File.ReadAllText($"/proc/{launcher}/cmdline").Replace('\0', ' ');
        Assert.True(owner.Contains("bwrap", StringComparison.Ordinal) || owner.Contains("zygote", StringComparison.Ordinal) || owner.Contains("crucible-run-init", StringComparison.Ordinal), owner);
        // A run whose warm runner dies is re-run cold (exact verdicts); keep killing whatever runs the marker
        // until the request answers, so the last sandbox standing is killed too.
        var until = DateTime.UtcNow.AddSeconds(90);
        while (!victim.IsCompleted && DateTime.UtcNow < until)
        {
            foreach (var pid in SandboxProcesses.WithMarker(marker))
            {
                var l = SandboxProcesses.LauncherOf(pid);
                if (l <= 0) continue;
                try { System.Diagnostics.Process.GetProcessById(l).Kill(); }
                catch (ArgumentException) { }
                catch (InvalidOperationException) { }
            }
            await Task.WhenAny(victim, Task.Delay(50));
        }

        var (status, body, _) = await victim;
        Assert.Equal(200, status);
        Assert.Equal("SandboxError", body.GetProperty("status").GetString());
        Assert.Equal("Error", body.GetProperty("run_result").GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));

        var others = await Task.WhenAll(bystanders);
        for (var i = 0; i < others.Length; i++)
        {
            Assert.Equal("Success", others[i].Body.GetProperty("status").GetString());
            Assert.Equal($"{i * 7}\n", others[i].Body.GetProperty("run_result").GetProperty("stdout").GetString());
        }
        await WaitGoneAsync(marker);
    }

    [Fact]
    public async Task KillingOneItemsSandboxMakesThatItemAnInfraErrorAndScoresTheRest()
    {
        await using var s = await TestServer.StartAsync();
        var marker = "crucible-reward-kill-" + Guid.NewGuid().ToString("N")[..12];
        var truth = JsonSerializer.Serialize(new { inputs = new[] { "2 3\n" }, outputs = new[] { "5\n" } });
        object Item(string code) => new { data_source = "test", solution_str = $"```python\n{code}\n```", ground_truth = truth };
        var payload = JsonSerializer.Serialize(new
        {
            items = new[]
            {
                Item("a, b = map(int, input().split())\nprint(a + b)"),
                Item(SandboxProcesses.SleeperSource(marker)),
                Item("print(4)"),
            },
        });
        var batch = s.PostRawAsync("v1/rewards", payload);
        // The sandbox may retry a run whose runner died; keep killing whatever runs the marker until the batch answers.
        var killed = 0;
        var until = DateTime.UtcNow.AddSeconds(90);
        while (!batch.IsCompleted && DateTime.UtcNow < until)
        {
            foreach (var pid in SandboxProcesses.WithMarker(marker))
            {
                var launcher = SandboxProcesses.LauncherOf(pid);
                if (launcher <= 0) continue;
                try { System.Diagnostics.Process.GetProcessById(launcher).Kill(); killed++; }
                catch (ArgumentException) { }
                catch (InvalidOperationException) { }
            }
            await Task.WhenAny(batch, Task.Delay(50));
        }
        var (status, body, _) = await batch;
        Assert.True(killed > 0, "the test should have found and killed the sandbox");
        Assert.Equal(200, status);
        var r = body.GetProperty("results");
        Assert.Equal(1.0, r[0].GetProperty("score").GetDouble());
        Assert.Equal("infra_error", r[1].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, r[1].GetProperty("score").ValueKind);
        Assert.Equal(0.0, r[2].GetProperty("score").GetDouble());
        Assert.Equal(1, body.GetProperty("summary").GetProperty("infra_errors").GetInt32());
        await WaitGoneAsync(marker);
    }

    [Fact]
    public async Task ShutdownLetsShortWorkFinishAndAnswersLongWorkWithARetryableStatus()
    {
        var s = await TestServer.StartAsync(o => o with { DrainTimeout = TimeSpan.FromSeconds(6) });
        var marker = "crucible-drain-" + Guid.NewGuid().ToString("N")[..12];
        var shortMarker = "crucible-drain-short-" + Guid.NewGuid().ToString("N")[..12];
        var shortCode = $"import os\nos.execv('/bin/sh', ['{shortMarker}', '-c', 'sleep 1; echo finished'])\n";
        var shortWork = s.PostRawAsync("run_code", JsonSerializer.Serialize(new { code = shortCode, language = "python" }));
        var longWork = s.PostRawAsync("run_code", JsonSerializer.Serialize(new { code = SandboxProcesses.SleeperSource(marker, 60), language = "python", run_timeout = 120 }));
        // Both are running (not queued) when the stop begins.
        await SandboxProcesses.WaitForAsync(shortMarker, TimeSpan.FromSeconds(30), shortWork);
        await SandboxProcesses.WaitForAsync(marker, TimeSpan.FromSeconds(30), longWork);

        var stopping = s.Server.StopAsync();
        var (shortStatus, shortBody, _) = await shortWork;
        Assert.Equal(200, shortStatus);
        Assert.Equal("finished\n", shortBody.GetProperty("run_result").GetProperty("stdout").GetString());

        // Work the drain cut off has no verdict: 503 with Retry-After, for the client to run it on another replica.
        var (longStatus, longBody, longResponse) = await longWork;
        Assert.Equal(503, longStatus);
        Assert.NotNull(longResponse.Headers.RetryAfter);
        Assert.Equal("shutting_down", longBody.GetProperty("error").GetProperty("code").GetString());
        await stopping;
        await s.DisposeAsync();
        await WaitGoneAsync(marker);
        // Nothing the server started in the sandbox (runs, warm runners) outlives it.
        await WaitGoneAsync(s.StateRoot);
    }

    /// <summary>No process of the run may outlive it (bounded wait: the kernel reaps asynchronously).</summary>
    private static async Task WaitGoneAsync(string marker)
    {
        for (var i = 0; i < 100 && SandboxProcesses.WithMarker(marker).Count > 0; i++) await Task.Delay(50);
        Assert.Empty(SandboxProcesses.WithMarker(marker));
    }
}
