using System.Diagnostics;
using System.Text.Json;

namespace Crucible.Server.Tests;

/// <summary>crucible_reward.py over several replicas: load spreading, one idempotency key per request, draining replicas left alone.</summary>
public sealed class VerlReplicaTests
{
    private const string Python = "/usr/bin/python3";
    private static readonly string ModuleDir = Path.Combine(AppContext.BaseDirectory, "verl");

    private const string Setup = """
        import json, crucible_reward as cr
        truth = json.dumps({"inputs": ["1 2\n"], "outputs": ["3\n"]})
        right = "```python\na, b = map(int, input().split())\nprint(a + b)\n```"
        """;

    private static async Task<JsonElement> RunAsync(string script, string urls)
    {
        Assert.SkipUnless(File.Exists(Python), "needs /usr/bin/python3");
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Setup + script);
        psi.Environment["PYTHONPATH"] = ModuleDir;
        psi.Environment["CRUCIBLE_URL"] = urls;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await p.WaitForExitAsync(cts.Token);
        Assert.True(p.ExitCode == 0, $"python exited {p.ExitCode}: {await stderr}");
        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }

    private static async Task<int> RewardRequestsAsync(TestServer s)
    {
        var text = await s.Http.GetStringAsync("metrics");
        const string prefix = "crucible_http_requests_total{endpoint=\"rewards\",code=\"200\"} ";
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : int.Parse(line[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task ARequestRetriedAfterALostConnectionKeepsItsKeyAndMovesToAnotherReplica()
    {
        await using var a = await TestServer.StartAsync();
        await using var b = await TestServer.StartAsync();
        var r = await RunAsync("""

            import urllib.request
            real, seen = urllib.request.urlopen, []
            def flaky(request, timeout=None):
                seen.append((request.full_url, request.get_header("Idempotency-key")))
                if len(seen) == 1:
                    raise ConnectionResetError("connection lost")
                return real(request, timeout=timeout)
            cr.urllib.request.urlopen = flaky
            score = cr.compute_score("x", right, truth, return_dict=False)
            print(json.dumps({"score": score, "seen": seen}))
            """, $"{a.BaseAddress},{b.BaseAddress}");
        Assert.Equal(1.0, r.GetProperty("score").GetDouble());
        var seen = r.GetProperty("seen").EnumerateArray().Select(x => (Url: x[0].GetString()!, Key: x[1].GetString())).ToList();
        Assert.Equal(2, seen.Count);
        Assert.NotEqual(seen[0].Url, seen[1].Url);
        Assert.Matches("^[0-9a-f]{32}$", seen[0].Key!);
        Assert.Equal(seen[0].Key, seen[1].Key);
    }

    [Fact]
    public async Task ConcurrentCallsSpreadOverReplicasAndAReplicaGoingAwayIsLeftAlone()
    {
        await using var a = await TestServer.StartAsync();
        await using var b = await TestServer.StartAsync();
        var urls = $"{a.BaseAddress},{b.BaseAddress}";
        var r = await RunAsync("""

            from concurrent.futures import ThreadPoolExecutor
            with ThreadPoolExecutor(8) as pool:
                scores = list(pool.map(lambda _: cr.compute_score("x", right, truth, return_dict=False), range(16)))
            print(json.dumps(scores))
            """, urls);
        Assert.All(r.EnumerateArray(), s => Assert.Equal(1.0, s.GetDouble()));
        var (onA, onB) = (await RewardRequestsAsync(a), await RewardRequestsAsync(b));
        Assert.Equal(16, onA + onB);
        Assert.True(onA > 0 && onB > 0, $"all work went to one replica: {onA} vs {onB}");

        // A replica that announced shutdown (ready=0 in its answers) gets at most the one request that told us.
        a.Server.MarkUnready();
        await RunAsync("""

            for _ in range(8):
                assert cr.compute_score("x", right, truth, return_dict=False) == 1.0
            print("{}")
            """, urls);
        Assert.True(await RewardRequestsAsync(a) - onA <= 1, "requests kept going to a replica that is going away");
        Assert.Equal(16 + 8, await RewardRequestsAsync(a) + await RewardRequestsAsync(b));
    }
}
