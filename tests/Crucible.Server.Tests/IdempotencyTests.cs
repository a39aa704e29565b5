using System.Net.Http.Json;
using System.Text.Json;
using Crucible.Client;

namespace Crucible.Server.Tests;

/// <summary>Idempotency-Key replays, the load report, and readiness before admission stops.</summary>
public sealed class IdempotencyTests
{
    private static string Body(string code) => JsonSerializer.Serialize(new { code, language = "python" });

    private static Action<HttpRequestMessage> Key(string key) => m => m.Headers.Add("Idempotency-Key", key);

    private static async Task<double> MetricAsync(TestServer s, string line)
    {
        var text = await s.Http.GetStringAsync("metrics");
        var found = text.Split('\n').FirstOrDefault(l => l.StartsWith(line + " ", StringComparison.Ordinal));
        return found is null ? 0 : double.Parse(found[(line.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task ARetryWithTheSameKeyGetsTheFirstAnswerWithoutRunningAgain()
    {
        await using var s = await TestServer.StartAsync();
        // The program prints a fresh random number: a second run could not give the same output.
        var body = Body("import os\nprint(os.urandom(8).hex())\n");
        var (status1, first, r1) = await s.PostRawAsync("run_code", body, Key("retry-1"));
        var (status2, second, r2) = await s.PostRawAsync("run_code", body, Key("retry-1"));
        Assert.Equal(200, status1);
        Assert.Equal(200, status2);
        Assert.False(r1.Headers.Contains("Idempotent-Replay"));
        Assert.True(r2.Headers.Contains("Idempotent-Replay"));
        Assert.Equal(first.GetRawText(), second.GetRawText());
        Assert.Equal(1, await MetricAsync(s, "crucible_idempotent_replays_total"));
        Assert.Equal(1, await MetricAsync(s, "crucible_verdicts_total{endpoint=\"run_code\",verdict=\"Ok\"}"));

        // Without a key (or with another) the same body runs again and prints something else.
        var (_, third, _) = await s.PostRawAsync("run_code", body, Key("retry-2"));
        Assert.NotEqual(first.GetProperty("run_result").GetProperty("stdout").GetString(), third.GetProperty("run_result").GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task ADuplicateThatArrivesWhileTheFirstRunsWaitsForItsAnswer()
    {
        await using var s = await TestServer.StartAsync();
        var body = Body("import os, time\ntime.sleep(1.5)\nprint(os.urandom(8).hex())\n");
        var first = s.PostRawAsync("run_code", body, Key("inflight-1"));
        await Task.Delay(300);
        var second = s.PostRawAsync("run_code", body, Key("inflight-1"));
        var (a, b) = (await first, await second);
        Assert.Equal(200, a.Status);
        Assert.Equal(200, b.Status);
        Assert.Equal(a.Body.GetRawText(), b.Body.GetRawText());
        Assert.Equal(1, await MetricAsync(s, "crucible_verdicts_total{endpoint=\"run_code\",verdict=\"Ok\"}"));
    }

    [Fact]
    public async Task AKeyReusedWithAnotherBodyIsRefusedAndABadKeyNamed()
    {
        await using var s = await TestServer.StartAsync();
        Assert.Equal(200, (await s.PostRawAsync("run_code", Body("print(1)"), Key("reused"))).Status);
        var (status, body, _) = await s.PostRawAsync("run_code", Body("print(2)"), Key("reused"));
        Assert.Equal(422, status);
        Assert.Equal("idempotency_key_reused", body.GetProperty("error").GetProperty("code").GetString());
        var (badStatus, bad, _) = await s.PostRawAsync("run_code", Body("print(1)"), Key(new string('k', 500)));
        Assert.Equal(422, badStatus);
        Assert.Equal("Idempotency-Key", bad.GetProperty("error").GetProperty("field").GetString());
    }

    [Fact]
    public async Task AnswersThatReportAnInfrastructureFailureAreNotReplayed()
    {
        var cache = new IdempotencyCache(1 << 20);
        Assert.Null(cache.Join("k", [1]));
        cache.Complete("k", new Answer(200, [1, 2], null, Complete: false), keep: false);
        Assert.Null(cache.Join("k", [1])); // forgotten: the retry runs
        cache.Complete("k", new Answer(200, [1, 2], null, Complete: true), keep: true);
        Assert.NotNull(cache.Join("k", [1]));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task TheCacheForgetsTheOldestAnswersBeyondItsBudget()
    {
        var cache = new IdempotencyCache(4096);
        for (var i = 0; i < 100; i++)
        {
            Assert.Null(cache.Join($"k{i}", [1]));
            cache.Complete($"k{i}", new Answer(200, new byte[200], null, true), keep: true);
        }
        Assert.True(cache.Bytes <= 4096, $"{cache.Bytes} bytes kept");
        Assert.Null(cache.Join("k0", [1])); // the oldest went first
        Assert.NotNull(cache.Join("k99", [1]));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task EveryAnswerReportsLoadAndReadinessTurnsFalseBeforeAdmissionStops()
    {
        await using var s = await TestServer.StartAsync();
        var (_, _, response) = await s.PostRawAsync("run_code", Body("print(1)"));
        var load = response.Headers.GetValues("X-Crucible-Load").Single();
        Assert.Matches(@"^in_flight=\d+; queued=\d+; max_in_flight=\d+; ready=1$", load);

        s.Server.MarkUnready();
        using var ready = await s.Http.GetAsync("ready");
        Assert.Equal(503, (int)ready.StatusCode);
        Assert.Equal("unready", (await ready.Content.ReadFromJsonAsync<HealthReport>(WireJson.Options))!.Status);
        Assert.EndsWith("ready=0", ready.Headers.GetValues("X-Crucible-Load").Single());
        // Still admitting while the load balancer takes it out.
        Assert.Equal(200, (await s.PostRawAsync("run_code", Body("print(1)"))).Status);
    }
}
