using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Crucible.Client;
using Crucible.Judge;
using Crucible.Sandbox;
using Crucible.Server;
using Microsoft.Extensions.Logging;

namespace Crucible.Benchmarks;

/// <summary>
/// <c>replicas</c>: submissions judged per second through <see cref="CrucibleClient"/> spread over 1, 2 and 3
/// <c>crucible serve</c> replicas on this machine, interleaved in rounds so the machine's changing load falls on
/// every configuration alike. The replicas share the machine's cores, so the point is the cost of spreading (the
/// client's choice, more pools, more warm runners), not a speed-up. A fourth configuration, one replica with as many
/// run slots and pre-started runners as the three together ("1 wide"), separates the cost of spreading from the
/// effect of simply having more slots on a machine shared with other work. Also reports CPU per submission from cpuacct
/// (the benchmark and every sandbox it starts are moved into one accounting cgroup), and the sizing numbers
/// docs/deploy.md uses: submissions and test runs per core-second.
/// </summary>
internal static class ReplicaThroughputBenchmark
{
    private static readonly (string Code, TestOutcome Verdict)[] Programs =
    [
        ("import sys\na, b = map(int, sys.stdin.read().split())\nprint(a + b)\n", TestOutcome.Passed),
        ("import sys\na, b = map(int, sys.stdin.read().split())\nprint(a - b)\n", TestOutcome.WrongAnswer),
        ("import sys\nnums = sorted(map(int, sys.stdin.read().split()))\nprint(sum(nums))\n", TestOutcome.Passed),
    ];

    public static Command Create()
    {
        var rounds = new Option<int>("--rounds") { Description = "Interleaved rounds (each runs every configuration once).", DefaultValueFactory = _ => 3 };
        var submissions = new Option<int>("--submissions") { Description = "Submissions per configuration per round.", DefaultValueFactory = _ => 60 };
        var tests = new Option<int>("--tests") { Description = "Tests per submission.", DefaultValueFactory = _ => 5 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests the client keeps in flight (the same for every configuration).", DefaultValueFactory = _ => 16 };
        var cmd = new Command("replicas", "Throughput through the client over 1, 2 and 3 crucible serve replicas on this machine (3 replicas vs 1).")
        {
            rounds, submissions, tests, concurrency,
        };
        cmd.SetAction(async (parse, ct) => await RunAsync(parse.GetValue(rounds), parse.GetValue(submissions), parse.GetValue(tests), parse.GetValue(concurrency), ct));
        return cmd;
    }

    private static async Task<int> RunAsync(int rounds, int submissions, int tests, int concurrency, CancellationToken ct)
    {
        var state = Path.Combine(Path.GetTempPath(), "crucible-bench-replicas-" + Guid.NewGuid().ToString("N")[..8]);
        // Before any pool exists: the pools then make their run cgroups inside the accounting cgroup.
        using var cpu = CpuMeter.Create();
        var servers = new List<CrucibleServer>();
        try
        {
            var slots = new SandboxOptions().MaxParallelRuns;
            for (var i = 0; i < 4; i++)
            {
                var sandbox = new SandboxOptions { StateRoot = Path.Combine(state, $"replica-{i}") };
                // Replica 3 is the "1 wide" control: the three replicas' slots and runners in one.
                if (i == 3) sandbox = sandbox with { MaxParallelRuns = 3 * slots, PrestartedRunners = 3 * sandbox.PrestartedRunners };
                var server = CrucibleServer.Create(new ServerOptions { Urls = ["http://127.0.0.1:0"], Sandbox = sandbox }, minimumLogLevel: LogLevel.Warning);
                await server.StartAsync(ct);
                servers.Add(server);
            }
            var urls = servers.Select(s => s.Addresses.Single()).ToList();
            // Configuration k: the first k replicas; 4 stands for "1 wide", the control replica alone.
            IReadOnlyList<Uri> Config(int k) => k == 4 ? [urls[3]] : urls.Take(k).ToList();
            string Name(int k) => k == 4 ? "1 wide (3x slots)" : $"{k} replica(s)";
            Console.WriteLine($"{Environment.ProcessorCount} cores; {rounds} rounds × {submissions} submissions × {tests} tests per configuration; client concurrency {concurrency}; cpu: {cpu.Source}");

            // Warm-up on every replica (first compile, runner start-up), not measured.
            await MeasureAsync(urls, 4 * concurrency, tests, concurrency, cpu, ct);
            var totals = new Dictionary<int, (int Items, TimeSpan Wall, double CpuSeconds, int Wrong, int Infra)>();
            // Per-round ratios: a burst of load from other work on the machine spoils one round, not the median.
            var threeVsOne = new List<double>();
            var threeVsWide = new List<double>();
            for (var r = 0; r < rounds; r++)
            {
                var rates = new Dictionary<int, double>();
                // Alternate the order each round, so no configuration always runs right after another one.
                var order = r % 2 == 0 ? new[] { 1, 2, 3, 4 } : [4, 3, 2, 1];
                foreach (var k in order)
                {
                    var m = await MeasureAsync(Config(k), submissions, tests, concurrency, cpu, ct);
                    var t = totals.GetValueOrDefault(k);
                    totals[k] = (t.Items + m.Items, t.Wall + m.Wall, t.CpuSeconds + m.CpuSeconds, t.Wrong + m.Wrong, t.Infra + m.Infra);
                    rates[k] = m.Items / m.Wall.TotalSeconds;
                    Console.WriteLine($"  round {r + 1}, {Name(k)}: {m.Items / m.Wall.TotalSeconds,6:0.0} submissions/s, {m.CpuSeconds / m.Items * 1000:0.0} ms CPU each");
                }
                threeVsOne.Add(rates[3] / rates[1]);
                threeVsWide.Add(rates[3] / rates[4]);
            }
            Console.WriteLine();
            var one = totals[1].Items / totals[1].Wall.TotalSeconds;
            foreach (var (k, t) in totals.OrderBy(kv => kv.Key))
            {
                var rate = t.Items / t.Wall.TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{Name(k),-18}: {rate,6:0.0} submissions/s ({rate * tests,6:0.0} test runs/s), {rate / one:0.00}× one replica, " +
                    $"{t.CpuSeconds / t.Items * 1000,6:0.0} ms CPU per submission ({t.CpuSeconds / (t.Items * tests) * 1000:0.0} per test run), {t.Wrong} wrong, {t.Infra} infra errors"));
            }
            var three = totals[3].Items / totals[3].Wall.TotalSeconds;
            var wide = totals[4].Items / totals[4].Wall.TotalSeconds;
            var perCore = totals[1].Items / totals[1].CpuSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT replicas one_per_s={one:0.0} two_per_s={totals[2].Items / totals[2].Wall.TotalSeconds:0.0} three_per_s={three:0.0} three_vs_one={three / one:0.00} " +
                $"one_wide_per_s={wide:0.0} three_vs_one_wide={three / wide:0.00} median_round_three_vs_one={Median(threeVsOne):0.00} median_round_three_vs_one_wide={Median(threeVsWide):0.00} " +
                $"cpu_ms_per_submission_one={totals[1].CpuSeconds / totals[1].Items * 1000:0.0} cpu_ms_per_submission_three={totals[3].CpuSeconds / totals[3].Items * 1000:0.0} cpu_ms_per_submission_one_wide={totals[4].CpuSeconds / totals[4].Items * 1000:0.0} " +
                $"submissions_per_core_s={perCore:0.0} test_runs_per_core_s={perCore * tests:0.0} tests={tests}"));
            var bad = totals.Values.Sum(t => t.Wrong + t.Infra);
            return bad == 0 && three >= 0.9 * one ? 0 : 1;
        }
        finally
        {
            foreach (var s in servers) await s.DisposeAsync();
            try { Directory.Delete(state, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static async Task<(int Items, TimeSpan Wall, double CpuSeconds, int Wrong, int Infra)> MeasureAsync(
        IReadOnlyList<Uri> servers, int submissions, int tests, int concurrency, CpuMeter cpu, CancellationToken ct)
    {
        using var client = new CrucibleClient(new CrucibleClientOptions { Servers = servers });
        var problem = new Problem
        {
            Id = "bench/sum",
            Language = "python",
            Tests = Enumerable.Range(0, tests).Select(i => (TestCase)new StdioTest($"{i} {i * 3 + 1}\n", $"{i + i * 3 + 1}\n")).ToList(),
        };
        int wrong = 0, infra = 0;
        var cpuBefore = cpu.Seconds();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, submissions), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (i, token) =>
        {
            var (code, verdict) = Programs[i % Programs.Length];
            // A distinct source per submission, as a real evaluation has: no compile or result cache can help.
            var result = await client.JudgeAsync(new Submission(problem with { Id = $"bench/sum-{i}" }, "python", code + $"# submission {i} {Guid.NewGuid():N}\n"),
                JudgeOptions.Default, token);
            if (result.IsInfrastructureError) Interlocked.Increment(ref infra);
            else if (result.Outcome != verdict) Interlocked.Increment(ref wrong);
        });
        var wall = clock.Elapsed;
        return (submissions, wall, cpu.Seconds() - cpuBefore, wrong, infra);
    }

    /// <summary>
    /// CPU time of this process and everything it starts. As root, the process moves itself into its own cpuacct
    /// cgroup (v1) or cgroup (v2) first, so sandbox runs — which the pools put in cgroups below their own — are
    /// counted by the kernel hierarchically. Otherwise getrusage of self and reaped children.
    /// </summary>
    private sealed class CpuMeter : IDisposable
    {
        private readonly string? _usageFile, _cgroup, _previous;
        private readonly bool _v2;

        private CpuMeter(string? usageFile, bool v2, string? cgroup, string? previous)
        {
            _usageFile = usageFile;
            _v2 = v2;
            _cgroup = cgroup;
            _previous = previous;
        }

        public string Source => _usageFile is null ? "getrusage (self + reaped children)" : $"cgroup {_usageFile}";

        public static CpuMeter Create()
        {
            var name = $"crucible-bench-{Environment.ProcessId}";
            try
            {
                if (File.Exists("/sys/fs/cgroup/cgroup.controllers"))
                {
                    var own = File.ReadAllLines("/proc/self/cgroup").First(l => l.StartsWith("0::", StringComparison.Ordinal))[3..];
                    var dir = Path.Combine("/sys/fs/cgroup", name);
                    Directory.CreateDirectory(dir);
                    File.WriteAllText(Path.Combine(dir, "cgroup.procs"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
                    return new CpuMeter(Path.Combine(dir, "cpu.stat"), true, dir, Path.Combine("/sys/fs/cgroup", own.TrimStart('/'), "cgroup.procs"));
                }
                if (Directory.Exists("/sys/fs/cgroup/cpuacct"))
                {
                    var own = File.ReadAllLines("/proc/self/cgroup").Select(l => l.Split(':', 3)).First(p => p.Length == 3 && p[1].Split(',').Contains("cpuacct"))[2];
                    var dir = Path.Combine("/sys/fs/cgroup/cpuacct", name);
                    Directory.CreateDirectory(dir);
                    File.WriteAllText(Path.Combine(dir, "cgroup.procs"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
                    return new CpuMeter(Path.Combine(dir, "cpuacct.usage"), false, dir, Path.Combine("/sys/fs/cgroup/cpuacct", own.TrimStart('/'), "cgroup.procs"));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException) { }
            return new CpuMeter(null, false, null, null);
        }

        public double Seconds()
        {
            if (_usageFile is null)
            {
                var p = Process.GetCurrentProcess();
                return p.TotalProcessorTime.TotalSeconds + ChildrenSeconds();
            }
            if (!_v2) return long.Parse(File.ReadAllText(_usageFile).Trim(), CultureInfo.InvariantCulture) / 1e9;
            var line = File.ReadAllLines(_usageFile).First(l => l.StartsWith("usage_usec ", StringComparison.Ordinal));
            return long.Parse(line[11..], CultureInfo.InvariantCulture) / 1e6;
        }

        /// <summary>CPU of reaped children from /proc/self/stat (cutime + cstime, in clock ticks of 1/100 s).</summary>
        private static double ChildrenSeconds()
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
        }

        public void Dispose()
        {
            if (_cgroup is null) return;
            try
            {
                File.WriteAllText(_previous!, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
                Directory.Delete(_cgroup);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* left for the system: an empty cgroup */ }
        }
    }
}
