using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Crucible.Benchmarks;

/// <summary>
/// Single-shot execution over HTTP: one new submission per request, the way RL reward code calls a sandbox. Drives a
/// real `crucible serve` (and one with zygotes off, for the pre-zygote path) at a fixed concurrency, interleaved round
/// by round with (a) a cold bubblewrap + interpreter per run and (b) a bare fork+exec without isolation. CPU per run is
/// the cpuacct usage of each path's own processes (server + sandboxes, or the baseline processes), not the driver's.
/// </summary>
internal static class SingleShotBenchmark
{
    public static Command Create()
    {
        var requests = new Option<int>("--requests") { Description = "Runs per path per round.", DefaultValueFactory = _ => 200 };
        var rounds = new Option<int>("--rounds") { Description = "Interleaved rounds.", DefaultValueFactory = _ => 3 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight.", DefaultValueFactory = _ => 8 };
        var only = new Option<string[]>("--only") { Description = "Workloads to run (python, cpp, rewards, cli); all when absent.", AllowMultipleArgumentsPerToken = true };
        var parallelRuns = new Option<int?>("--parallel-runs") { Description = "crucible serve --parallel-runs for both servers (default: the server's own)." };
        var cmd = new Command("single-shot", "Single-run requests over HTTP vs a cold bwrap+interpreter and a bare fork+exec, with CPU per run.") { requests, rounds, concurrency, only, parallelRuns };
        cmd.SetAction(async (parse, _) =>
        {
            await using var bench = await BenchRig.StartAsync(parse.GetValue(parallelRuns));
            var n = parse.GetValue(requests);
            var r = parse.GetValue(rounds);
            var c = parse.GetValue(concurrency);
            var selected = parse.GetValue(only) is { Length: > 0 } o ? o : ["python", "cpp", "rewards", "cli"];
            if (selected.Contains("python")) await RunWorkloadAsync(bench, "python", "trivial Python, unique source per request (/run_code)", n, r, c);
            if (selected.Contains("cpp")) await RunWorkloadAsync(bench, "cpp", "C++ one test, compile cached, unique stdin (/run_code)", n, r, c);
            if (selected.Contains("rewards")) await RunWorkloadAsync(bench, "rewards", "/v1/rewards, one 1-test Python item per request", n, r, c);
            if (selected.Contains("cli")) await RunCliAsync(bench);
            return 0;
        });
        return cmd;
    }

    private static async Task RunWorkloadAsync(BenchRig rig, string workload, string title, int n, int rounds, int concurrency)
    {
        var paths = new List<(string Name, Func<int, Task<bool>> Run, string Cgroup)>
        {
            ("crucible serve (zygotes)", i => rig.ServerRunAsync(rig.ZygoteUrl, workload, i), "server"),
        };
        if (workload != "rewards") paths.Add(("crucible serve, zygotes off (pre-zygote path)", i => rig.ServerRunAsync(rig.PlainUrl, workload, i), "plain"));
        // The cold baseline runs the interpreter as Crucible's own runs do (site packages importable, `python3 -c` as
        // issue 13 measured it); the same without site (`-S`, no numpy) is shown beside it, and is the bare floor.
        var python = workload != "cpp";
        paths.Add((python ? "cold: bwrap + python3 -c per run" : "cold: bwrap + binary per run", i => rig.ProcessRunAsync(workload, cold: true, i), "cold"));
        if (python) paths.Add(("cold: bwrap + python3 -S -c per run", i => rig.ProcessRunAsync(workload, cold: true, i, noSite: true), "cold-s"));
        paths.Add((python ? "bare python3 -S -c fork+exec, no isolation (floor)" : "bare fork+exec, no isolation (floor)", i => rig.ProcessRunAsync(workload, cold: false, i), "bare"));
        // Warm-up, as a long-running server is measured: zygotes and compile cache ready, and enough requests for the
        // runtime's tiered JIT to have recompiled the hot path (30 runs left the first workload measured ~40% above
        // the same requests later in the run).
        foreach (var p in paths.Take(2)) await MeasureAsync(p.Run, rig, p.Cgroup, 300, concurrency, 1_000_000);
        var totals = paths.Select(_ => new Totals()).ToList();
        for (var round = 0; round < rounds; round++)
            for (var i = 0; i < paths.Count; i++)
                totals[i].Add(await MeasureAsync(paths[i].Run, rig, paths[i].Cgroup, n, concurrency, (round * paths.Count + i + 1) * 100_000));
        var cold = totals[paths.FindIndex(p => p.Cgroup == "cold")];
        var bare = totals[paths.FindIndex(p => p.Cgroup == "bare")];
        Console.WriteLine($"## single-shot {workload}\n{title}; concurrency {concurrency}, {rounds} interleaved rounds × {n} runs per path");
        Console.WriteLine("| path | runs/s | p50 ms | p99 ms | CPU ms/run | vs cold | vs bare | CPU: cold ÷ path | wrong |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < paths.Count; i++)
        {
            var t = totals[i];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {paths[i].Name} | {t.Rate:0.0} | {t.Percentile(0.5):0.0} | {t.Percentile(0.99):0.0} | {t.CpuMsPerRun:0.00} | {t.Rate / cold.Rate:0.00}× | {t.Rate / bare.Rate:0.00}× | {cold.CpuMsPerRun / t.CpuMsPerRun:0.00}× | {t.Wrong} |"));
        }
        if (rig.TakeFirstWrong() is { } why) Console.WriteLine($"first wrong answer: {why[..Math.Min(why.Length, 400)]}");
        Console.WriteLine();
    }

    private static async Task<Sample> MeasureAsync(Func<int, Task<bool>> run, BenchRig rig, string cgroup, int n, int concurrency, int seed)
    {
        var latencies = new double[n];
        var wrong = 0;
        var next = -1;
        var cpuBefore = rig.CpuNanos(cgroup);
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < n)
            {
                var sw = Stopwatch.StartNew();
                var ok = await run(seed + i);
                latencies[i] = sw.Elapsed.TotalMilliseconds;
                if (!ok) Interlocked.Increment(ref wrong);
            }
        }));
        var elapsed = wall.Elapsed.TotalSeconds;
        return new Sample(n, elapsed, (rig.CpuNanos(cgroup) - cpuBefore) / 1e6, latencies, wrong);
    }

    private static async Task RunCliAsync(BenchRig rig)
    {
        var hello = Path.Combine(rig.Work, "hello.py");
        await File.WriteAllTextAsync(hello, "print('hello')\n");
        var cli = new Totals();
        var py = new Totals();
        for (var round = 0; round < 3; round++)
        {
            cli.Add(await MeasureAsync(_ => rig.CgExecAsync("cli", "hello\n", "/usr/bin/env", "dotnet", rig.CliDll, "run", hello), rig, "cli", 3, 1, 0));
            py.Add(await MeasureAsync(_ => rig.CgExecAsync("py", "", "/usr/bin/python3", "-c", "pass"), rig, "py", 10, 1, 0));
        }
        Console.WriteLine("## crucible run\n`crucible run hello.py` (one process, sandboxed run, result printed) vs `python3 -c pass`, sequential");
        Console.WriteLine("| command | wall ms (p50) | CPU ms per invocation | vs python3 -c pass (wall) |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| crucible run hello.py | {cli.Percentile(0.5):0} | {cli.CpuMsPerRun:0} | {cli.Percentile(0.5) / py.Percentile(0.5):0.0}× |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| python3 -c pass | {py.Percentile(0.5):0} | {py.CpuMsPerRun:0} | 1.0× |"));
        Console.WriteLine();
    }

    private sealed record Sample(int Runs, double Seconds, double CpuMs, double[] Latencies, int Wrong);

    private sealed class Totals
    {
        private readonly List<Sample> _samples = [];
        public void Add(Sample s) => _samples.Add(s);
        public double Rate => _samples.Sum(s => s.Runs) / _samples.Sum(s => s.Seconds);
        public double CpuMsPerRun => _samples.Sum(s => s.CpuMs) / _samples.Sum(s => s.Runs);
        public int Wrong => _samples.Sum(s => s.Wrong);

        public double Percentile(double p)
        {
            var all = _samples.SelectMany(s => s.Latencies).Order().ToArray();
            return all[Math.Min(all.Length - 1, (int)(p * all.Length))];
        }
    }
}
