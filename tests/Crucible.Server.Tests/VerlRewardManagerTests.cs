using System.Text.Json;

namespace Crucible.Server.Tests;

/// <summary>
/// integrations/verl/crucible_reward.py loaded and called the way each verl reward manager does (naive, prime with
/// every multiprocessing start method, batch), through verl_emulation.py — verl's loader and calling conventions
/// reproduced, since verl itself cannot be installed here — against a live server, in a python3 subprocess.
/// </summary>
[Collection("server")]
public sealed class VerlRewardManagerTests(ServerFixture fx)
{
    private static readonly string ModuleDir = Path.Combine(AppContext.BaseDirectory, "verl");

    private Task<JsonElement> RunAsync(string manager, string config = "{}")
    {
        var script = $$"""
            import json, sys, os
            import verl_emulation as verl
            rows = json.loads(sys.argv[1])
            kwargs = dict(json.loads(sys.argv[2]), url=os.environ["CRUCIBLE_SERVER"])
            name = "compute_score_batch" if "{{manager}}" == "batch" else "compute_score"
            fn = verl.get_custom_reward_fn(os.path.join(sys.argv[3], "crucible_reward.py"), name, kwargs)
            manager = "{{manager}}"
            if manager == "naive":
                out = verl.naive(fn, rows)
            elif manager == "batch":
                out = verl.batch(fn, rows)
            else:
                out = verl.prime(fn, rows, start_method=manager.split(":")[1])
            print(json.dumps(out, default=str))
            """;
        // Only the emulation is importable by name, as verl is; the reward module is reached by its path alone.
        return Python3.RunJsonAsync(script, [JsonSerializer.Serialize(Rows), config, ModuleDir], new Dictionary<string, string?>
        {
            ["PYTHONPATH"] = EmulationDir(), ["CRUCIBLE_SERVER"] = fx.Server.BaseAddress.ToString(), ["CRUCIBLE_URL"] = null,
        });
    }

    /// <summary>A directory holding only verl_emulation.py, so the reward module cannot be imported by name.</summary>
    private static string EmulationDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "crucible-verl-emulation-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(ModuleDir, "verl_emulation.py"), Path.Combine(dir, "verl_emulation.py"), overwrite: true);
        return dir;
    }

    private static readonly string Truth = JsonSerializer.Serialize(new { inputs = new[] { "1 2\n", "5 5\n" }, outputs = new[] { "3\n", "10\n" } });
    private static readonly string LcbTruth = JsonSerializer.Serialize(new[] { new { input = "1 2\n", output = "0.500000\n", testtype = "stdin" } });

    private static readonly object[] Rows =
    [
        new { data_source = "codecontests", solution_str = "```python\na, b = map(int, input().split())\nprint(a + b)\n```", ground_truth = Truth, extra_info = new { index = 0 } },
        new { data_source = "codecontests", solution_str = "```python\nprint(3)\n```", ground_truth = Truth, extra_info = new { index = 1 } },
        new { data_source = "codecontests", solution_str = "no code here", ground_truth = Truth, extra_info = new { index = 2 } },
        new { data_source = "livecodebench", solution_str = "```python\na, b = map(int, input().split())\nprint(a / b)\n```", ground_truth = LcbTruth, extra_info = new { index = 3 } },
    ];

    private static readonly double[] Expected = [1.0, 0.0, 0.0, 1.0];

    [Fact]
    public async Task NaiveManagerGetsScoresAndExtraInfo()
    {
        var r = await RunAsync("naive");
        Assert.Equal(Expected, r.GetProperty("rewards").EnumerateArray().Select(x => x.GetDouble()));
        Assert.Equal([2, 2, 2, 1], r.GetProperty("extra").GetProperty("total_tests").EnumerateArray().Select(x => x.GetInt32()));
        Assert.All(r.GetProperty("extra").GetProperty("infra_error").EnumerateArray(), x => Assert.Equal(0, x.GetInt32()));
    }

    [Theory]
    [InlineData("fork")]
    [InlineData("spawn")]
    [InlineData("forkserver")]
    public async Task PrimeManagerPicklesTheFunctionAndReadsDictResults(string startMethod)
    {
        var r = await RunAsync("prime:" + startMethod);
        Assert.Empty(r.GetProperty("errors").EnumerateArray());
        Assert.False(r.GetProperty("all_zero_fallback").GetBoolean());
        Assert.Equal(Expected, r.GetProperty("rewards").EnumerateArray().Select(x => x.GetDouble()));
    }

    [Fact]
    public async Task PrimeManagerWithPlainFloats()
    {
        var r = await RunAsync("prime:spawn", """{"return_dict": false}""");
        Assert.Empty(r.GetProperty("errors").EnumerateArray());
        Assert.Equal(Expected, r.GetProperty("rewards").EnumerateArray().Select(x => x.GetDouble()));
    }

    [Fact]
    public async Task BatchManagerGetsOneResultPerRowInOrder()
    {
        var r = await RunAsync("batch", """{"batch_size": 3}""");
        Assert.Equal(Expected, r.GetProperty("rewards").EnumerateArray().Select(x => x.GetDouble()));
        Assert.Equal([2, 1, 0, 1], r.GetProperty("extra").GetProperty("passed_tests").EnumerateArray().Select(x => x.GetInt32()));
    }

    [Fact]
    public async Task TrainerTimeLimitsAreExposedAndSentAsTheRequestsLimit()
    {
        var r = await RunAsync("naive", """{"cpu_time_limit_s": "rllm", "comparison": "default"}""");
        // comparison "default" overrides LiveCodeBench's number comparison for the last row: 0.5 != 0.500000.
        Assert.Equal([1.0, 0.0, 0.0, 0.0], r.GetProperty("rewards").EnumerateArray().Select(x => x.GetDouble()));
    }
}
