using System.Diagnostics;
using System.Globalization;
using Crucible.Sandbox;

namespace Crucible.HotPath;

/// <summary>The hot-path benchmarks: each pits Crucible's path against a baseline in the same process and run.</summary>
internal static class HotPathBenchmarks
{
    private static readonly int Cores = Environment.ProcessorCount;

    private static string TempRoot(string tag) => Path.Combine(Path.GetTempPath(), $"crucible-bench-{tag}-{Guid.NewGuid():N}"[..40]);

    private static async Task<SandboxPool> PoolAsync(string tag, bool warm, int? parallel = null, bool zygoteRunners = true)
    {
        var pool = SandboxPool.Create(new SandboxOptions
        {
            StateRoot = TempRoot(tag), WarmRunners = warm, PrestartedRunners = warm ? Cores + 1 : 0, Zygotes = warm,
            MaxParallelRuns = parallel ?? Environment.ProcessorCount, ZygoteRunners = zygoteRunners,
        });
        // Let pre-started runners come up, as they would in a long-lived service.
        for (var i = 0; warm && i < 200 && pool.IdleRunners < Cores; i++) await Task.Delay(50);
        return pool;
    }

    private static async Task DisposeAsync(SandboxPool pool)
    {
        var root = pool.Options.StateRoot;
        await pool.DisposeAsync();
        try { Directory.Delete(root, true); } catch (IOException) { }
    }

    /// <summary>Runs <paramref name="sessions"/> sessions of <paramref name="runsPerSession"/> runs, one worker per core.</summary>
    private static async Task<(double PerSecond, int Wrong)> SessionsAsync(SandboxPool pool, SourceProgram program, int sessions, int runsPerSession, Func<int, (string In, string Out)> test)
    {
        var next = -1;
        var wrong = 0;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Cores).Select(async _ =>
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= sessions) return;
                await using var session = await pool.OpenSessionAsync(program);
                for (var t = 0; t < runsPerSession; t++)
                {
                    var (input, expected) = test(i * runsPerSession + t);
                    var r = await session.RunAsync(RunRequest.WithStdin(input));
                    if (r.Verdict != Verdict.Ok || r.Stdout != expected) Interlocked.Increment(ref wrong);
                }
            }
        }));
        return (sessions * runsPerSession / sw.Elapsed.TotalSeconds, wrong);
    }

    private static async Task<double> BareForkExecAsync(int count)
    {
        var next = -1;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Cores).Select(_ => Task.Run(() =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                using var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", "-S -c pass") { UseShellExecute = false })!;
                p.WaitForExit();
            }
        })));
        return count / sw.Elapsed.TotalSeconds;
    }

    private static readonly SourceProgram Echo = new("python", "import sys\nprint(int(sys.stdin.readline()) * 2)\n");

    public static async Task PythonTrivialAsync(double scale)
    {
        int n = (int)(200 * scale);
        var test = (int i) => (i.ToString(CultureInfo.InvariantCulture), (i * 2).ToString(CultureInfo.InvariantCulture) + "\n");
        var floor = await BareForkExecAsync(n);

        var cold = await PoolAsync("cold", warm: false);
        var (coldRate, coldWrong) = await SessionsAsync(cold, Echo, n / 10, 10, test);
        await DisposeAsync(cold);

        // Runners in bubblewrap sandboxes of their own (as before issue 13's runner start), then forked from zygotes.
        var bwrapRunners = await PoolAsync("warm-bwrap", warm: true, zygoteRunners: false);
        var bwrapCpu = CpuNow(bwrapRunners);
        var (bwrapShort, bwrapShortWrong) = await SessionsAsync(bwrapRunners, Echo, n / 10, 10, test);
        bwrapCpu = CpuNow(bwrapRunners) - bwrapCpu;
        await DisposeAsync(bwrapRunners);

        var warm = await PoolAsync("warm", warm: true);
        var (warmLong, warmLongWrong) = await SessionsAsync(warm, Echo, Cores, n * 2 / Cores, test);
        var warmCpu = CpuNow(warm);
        var (warmShort, warmShortWrong) = await SessionsAsync(warm, Echo, n / 10, 10, test);
        warmCpu = CpuNow(warm) - warmCpu;
        var warmRuns = warm.WarmRuns;
        var coldRuns = warm.ColdRuns;
        await DisposeAsync(warm);

        Console.WriteLine($"trivial Python stdin/stdout test, {Cores} workers, executions per second (higher is better)");
        Console.WriteLine("| path | exec/s | vs cold baseline | vs bare fork+exec floor | wrong |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Row("bare `python3 -S -c pass` fork+exec, no isolation (floor)", floor, coldRate, floor, 0);
        Row("cold: fresh bwrap sandbox + python per test (baseline)", coldRate, coldRate, floor, coldWrong);
        Row("sessions of 10 tests, runners in bubblewrap (pre-started)", bwrapShort, coldRate, floor, bwrapShortWrong);
        Row("warm runner, sessions of 10 tests (pre-started runners)", warmShort, coldRate, floor, warmShortWrong);
        Row($"warm runner, {Cores} long sessions", warmLong, coldRate, floor, warmLongWrong);
        Console.WriteLine($"(warm pool served {warmRuns} runs warm, {coldRuns} cold)");
        // CPU of the sandboxes' processes and of this host process, per test, for the sessions of 10: holds steadier
        // than runs/s on a shared machine.
        Console.WriteLine($"sessions of 10, CPU ms per test: runners in bubblewrap {bwrapCpu.TotalMilliseconds / n:0.00}, " +
                          $"runners from zygotes {warmCpu.TotalMilliseconds / n:0.00} ({bwrapCpu / warmCpu:0.00}×)");
    }

    private static TimeSpan CpuNow(SandboxPool pool) => (pool.SandboxCpuTime ?? TimeSpan.Zero) + Process.GetCurrentProcess().TotalProcessorTime;

    private static void Row(string name, double rate, double cold, double floor, int wrong) =>
        Console.WriteLine($"| {name} | {rate:0.0} | {rate / cold:0.00}× | {rate / floor:0.00}× | {wrong} |");

    public static async Task CppRunsAsync(double scale)
    {
        int samples = Math.Max(2, (int)(4 * scale)), runs = 50;
        var src = "#include <iostream>\nint main(){ long x; std::cin >> x; std::cout << x * 3 << '\\n'; }\n// sample ";
        var test = (int i) => (i.ToString(CultureInfo.InvariantCulture), (i * 3L).ToString(CultureInfo.InvariantCulture) + "\n");

        // Baseline: one compile + one run per test (no compile cache: every test's source differs by a comment).
        var cold = await PoolAsync("cpp-cold", warm: false);
        var baselineTests = samples * 10;
        var next = -1;
        var wrongBase = 0;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Cores).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < baselineTests)
            {
                var (input, expected) = test(i);
                var (_, r) = await cold.RunOnceAsync(new SourceProgram("cpp", src + Guid.NewGuid()), RunRequest.WithStdin(input));
                if (r.Stdout != expected) Interlocked.Increment(ref wrongBase);
            }
        }));
        var baseline = baselineTests / sw.Elapsed.TotalSeconds;

        // Crucible cold sessions: compile once per sample, then 50 runs in the session.
        var coldSessions = await SessionsPerSampleAsync(cold, src, samples, runs, test);
        await DisposeAsync(cold);
        var warm = await PoolAsync("cpp-warm", warm: true);
        var warmSessions = await SessionsPerSampleAsync(warm, src, samples, runs, test);
        await DisposeAsync(warm);

        Console.WriteLine($"C++: {samples} samples × {runs} stdin/stdout runs, runs per second including compilation");
        Console.WriteLine("| path | runs/s | vs compile+run per test | wrong |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| compile + run per test (baseline) | {baseline:0.0} | 1.00× | {wrongBase} |");
        Console.WriteLine($"| 1 compile + {runs} cold runs per sample | {coldSessions.Rate:0.0} | {coldSessions.Rate / baseline:0.00}× | {coldSessions.Wrong} |");
        Console.WriteLine($"| 1 compile + {runs} warm runs per sample | {warmSessions.Rate:0.0} | {warmSessions.Rate / baseline:0.00}× | {warmSessions.Wrong} |");
    }

    private static async Task<(double Rate, int Wrong)> SessionsPerSampleAsync(SandboxPool pool, string src, int samples, int runs, Func<int, (string, string)> test)
    {
        var next = -1;
        var wrong = 0;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Cores).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < samples)
            {
                await using var session = await pool.OpenSessionAsync(new SourceProgram("cpp", src + Guid.NewGuid()));
                for (var t = 0; t < runs; t++)
                {
                    var (input, expected) = test(i * runs + t);
                    var r = await session.RunAsync(RunRequest.WithStdin(input));
                    if (r.Stdout != expected) Interlocked.Increment(ref wrong);
                }
            }
        }));
        return (samples * runs / sw.Elapsed.TotalSeconds, wrong);
    }

    /// <summary>
    /// HumanEval+-like function-call tests at the sandbox level: each test calls the sample's function once (one run
    /// per test). The judge's batched harness (all tests of a sample in one child) is measured by the eval benchmark.
    /// </summary>
    public static async Task FunctionCallsAsync(double scale)
    {
        int problems = Math.Max(2, (int)(4 * scale)), samplesPer = 3, tests = 100;
        string Sample(int p, int s) => $"import sys, json\ndef f{p}(xs):\n    return sorted(xs)[::-1][:{s + 1}]\nargs = json.loads(sys.stdin.read())\nprint(json.dumps(f{p}(*args)))\n";
        (string, string) Test(int i)
        {
            var xs = Enumerable.Range(0, 8).Select(k => (i * 31 + k * 17) % 97).ToArray();
            return ($"[[{string.Join(",", xs)}]]", "");
        }
        async Task<(double, int)> Measure(SandboxPool pool, int limitTests)
        {
            var jobs = new List<(SourceProgram, int)>();
            for (var p = 0; p < problems; p++)
                for (var s = 0; s < samplesPer; s++) jobs.Add((new SourceProgram("python", Sample(p, s)), s));
            var next = -1;
            var count = 0;
            var wrong = 0;
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Cores).Select(async _ =>
            {
                int j;
                while ((j = Interlocked.Increment(ref next)) < jobs.Count)
                {
                    await using var session = await pool.OpenSessionAsync(jobs[j].Item1);
                    for (var t = 0; t < limitTests; t++)
                    {
                        var (input, _) = Test(t);
                        var r = await session.RunAsync(RunRequest.WithStdin(input));
                        Interlocked.Increment(ref count);
                        var xs = System.Text.Json.JsonSerializer.Deserialize<int[][]>(input)![0];
                        var want = "[" + string.Join(", ", xs.OrderDescending().Take(jobs[j].Item2 + 1)) + "]\n";
                        if (r.Stdout != want) Interlocked.Increment(ref wrong);
                    }
                }
            }));
            return (count / sw.Elapsed.TotalSeconds, wrong);
        }
        var cold = await PoolAsync("fc-cold", warm: false);
        var (coldRate, coldWrong) = await Measure(cold, tests / 4);
        await DisposeAsync(cold);
        var warm = await PoolAsync("fc-warm", warm: true);
        var (warmRate, warmWrong) = await Measure(warm, tests);
        await DisposeAsync(warm);
        Console.WriteLine($"HumanEval+-like function-call tests ({problems} problems × {samplesPer} samples × {tests} tests; cold measured on the first {tests / 4} tests of each), one run per test");
        Console.WriteLine("| path | tests/s | vs cold | wrong |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| cold sandbox per test (baseline) | {coldRate:0.0} | 1.00× | {coldWrong} |");
        Console.WriteLine($"| warm runner, one fork per test | {warmRate:0.0} | {warmRate / coldRate:0.00}× | {warmWrong} |");
    }

    /// <summary>
    /// How many runs at once the pool should allow: throughput of a mixed workload (CPU-bound and trivial runs) at
    /// 1..4× the core count, from many concurrent callers. The default (one run per core) is checked here, not guessed.
    /// </summary>
    public static async Task ParallelismAsync(double scale)
    {
        int sessions = Math.Max(8, (int)(24 * scale)), runs = 10;
        var busy = new SourceProgram("python", "import sys\nn = int(sys.stdin.readline())\ns = 0\nfor i in range(n * 20000):\n    s += i % 7\nprint(n * 2)\n");
        Console.WriteLine($"{sessions} sessions × {runs} runs (each run ~20-40 ms of CPU), 4 callers per core; runs per second by MaxParallelRuns");
        Console.WriteLine("| MaxParallelRuns | runs/s | vs 1 per core | mean CPU per run ms | wrong |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        double? perCore = null;
        foreach (var factor in new[] { 1, 2, 4 })
        {
            var parallel = Cores * factor;
            var pool = await PoolAsync("par", warm: true, parallel);
            var next = -1;
            var wrong = 0;
            long cpuTicks = 0;
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Cores * 4).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < sessions)
                {
                    await using var session = await pool.OpenSessionAsync(busy);
                    for (var t = 0; t < runs; t++)
                    {
                        var n = 1 + (i + t) % 2;
                        var r = await session.RunAsync(RunRequest.WithStdin(n.ToString(CultureInfo.InvariantCulture)));
                        Interlocked.Add(ref cpuTicks, r.CpuTime.Ticks);
                        if (r.Stdout != (n * 2).ToString(CultureInfo.InvariantCulture) + "\n") Interlocked.Increment(ref wrong);
                    }
                }
            }));
            var rate = sessions * runs / sw.Elapsed.TotalSeconds;
            perCore ??= rate;
            Console.WriteLine($"| {parallel} | {rate:0.0} | {rate / perCore.Value:0.00}× | {TimeSpan.FromTicks(cpuTicks / (sessions * runs)).TotalMilliseconds:0.0} | {wrong} |");
            await DisposeAsync(pool);
        }
    }

    public static async Task LatencyAsync(double scale)
    {
        int n = (int)(200 * scale);
        async Task<double[]> Measure(SandboxPool pool)
        {
            var lat = new List<double>();
            await using var session = await pool.OpenSessionAsync(Echo);
            for (var i = 0; i < 5; i++) await session.RunAsync(RunRequest.WithStdin("1")); // warm-up (and own runner)
            for (var i = 0; i < 20 && !session.HasWarmRunner; i++) await Task.Delay(50);
            for (var i = 0; i < n; i++)
            {
                var sw = Stopwatch.StartNew();
                await session.RunAsync(RunRequest.WithStdin("21"));
                lat.Add(sw.Elapsed.TotalMilliseconds);
            }
            lat.Sort();
            return [lat[lat.Count / 2], lat[(int)(lat.Count * 0.99)]];
        }
        var cold = await PoolAsync("lat-cold", warm: false);
        var c = await Measure(cold);
        await DisposeAsync(cold);
        var warm = await PoolAsync("lat-warm", warm: true);
        var w = await Measure(warm);
        await DisposeAsync(warm);
        Console.WriteLine($"single trivial Python run through the library, sequential, {n} runs");
        Console.WriteLine("| path | p50 ms | p99 ms |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| cold | {c[0]:0.0} | {c[1]:0.0} |");
        Console.WriteLine($"| warm | {w[0]:0.0} | {w[1]:0.0} |");
        Console.WriteLine($"| ratio cold/warm | {c[0] / w[0]:0.00}× | {c[1] / w[1]:0.00}× |");
    }
}
