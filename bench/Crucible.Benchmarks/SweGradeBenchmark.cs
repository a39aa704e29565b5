using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Crucible.Repos.Environments;
using Crucible.Repos.Grading;
using Crucible.Repos.Tasks;
using Crucible.Repos.Testing;
using Crucible.Sandbox;

namespace Crucible.Benchmarks;

/// <summary>
/// Per-task cost of grading a repository task with Crucible (fresh workspace at the base commit, git init, model and
/// test patches applied in the sandbox, tests run isolated with limits, JUnit read, teardown) against running the same
/// test files directly with the host's pytest in a plain checkout that already has both patches applied (the least a
/// user could do). Both run the demo tasks of examples/swe with their gold patches, interleaved in the same run;
/// then both again with two tasks at a time (both cores). CPU is the process tree's (own + reaped children).
/// Usage: <c>dotnet run -c Release --project bench/Crucible.Benchmarks -- swe-grade [rounds]</c>
/// </summary>
internal static class SweGradeBenchmark
{
    public static Command Create()
    {
        var rounds = new Argument<int>("rounds") { Description = "Interleaved rounds over the demo tasks.", DefaultValueFactory = _ => 5, Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("swe-grade", "Repository-task grading: Crucible (workspace + apply + isolation + teardown) vs the same pytest run in a plain checkout.") { rounds };
        cmd.SetAction(async (parse, _) => await RunAsync(parse.GetValue(rounds)));
        return cmd;
    }

    private static async Task<int> RunAsync(int rounds)
    {
        var examples = FindExamples();
        var root = Directory.CreateTempSubdirectory("crucible-swe-bench").FullName;
        try
        {
            Run("bash", [Path.Combine(examples, "build-demo.sh"), Path.Combine(root, "demo")], null);
            var tasks = TaskLoader.Load(Path.Combine(examples, "tasks"));
            var sources = new RepositorySources(Path.Combine(root, "demo", "repos"));
            var checkouts = tasks.ToDictionary(t => t.InstanceId, t => PlainCheckout(t, sources, root));
            await using var pool = SandboxPool.Create(new SandboxOptions { StateRoot = Path.Combine(root, "state"), WarmRunners = false });
            var grader = new TaskGrader(pool, sources);

            var crucible = new List<(double Wall, double Cpu)>();
            var direct = new List<(double Wall, double Cpu)>();
            for (var round = -1; round < rounds; round++)
                foreach (var t in tasks)
                {
                    var c = await MeasureAsync(async () =>
                    {
                        var r = await grader.GradeAsync(t, Prediction.Gold(t));
                        if (r.Status != GradeStatus.Resolved) throw new InvalidOperationException($"{t.InstanceId}: gold graded {r.Status}: {r.Reason}");
                    });
                    var d = await MeasureAsync(() => Task.Run(() => RunDirect(t, sources, checkouts[t.InstanceId])));
                    if (round < 0) continue; // warm-up: page cache, JIT
                    crucible.Add(c);
                    direct.Add(d);
                }

            // Both cores: every task twice per round, two at a time, interleaved with the direct runs two at a time.
            var jobs = tasks.Concat(tasks).ToList();
            (double Wall, double Cpu) parC = (0, 0), parD = (0, 0);
            for (var round = 0; round < rounds; round++)
            {
                var c = await MeasureAsync(() => Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (t, ct) =>
                {
                    var r = await grader.GradeAsync(t, Prediction.Gold(t), ct);
                    if (r.Status != GradeStatus.Resolved) throw new InvalidOperationException($"{t.InstanceId}: {r.Status}");
                }));
                var d = await MeasureAsync(() => Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (t, _) =>
                    await Task.Run(() => RunDirect(t, sources, checkouts[t.InstanceId]))));
                parC = (parC.Wall + c.Wall, parC.Cpu + c.Cpu);
                parD = (parD.Wall + d.Wall, parD.Cpu + d.Cpu);
            }
            var parallelJobs = jobs.Count * rounds;

            static double Median(IEnumerable<double> xs) { var s = xs.Order().ToList(); return s[s.Count / 2]; }
            var (cw, dw) = (Median(crucible.Select(x => x.Wall)), Median(direct.Select(x => x.Wall)));
            var (cc, dc) = (crucible.Average(x => x.Cpu), direct.Average(x => x.Cpu));
            Console.WriteLine($"swe-grade: {tasks.Count} demo tasks × {rounds} rounds, gold patches, {Environment.ProcessorCount} cores, {pool.Isolation}");
            Console.WriteLine($"  one at a time       median wall/task  crucible {cw * 1000,7:0} ms   direct pytest {dw * 1000,7:0} ms   ratio {cw / dw:0.00}x");
            Console.WriteLine($"                      mean CPU/task     crucible {cc * 1000,7:0} ms   direct pytest {dc * 1000,7:0} ms   ratio {cc / dc:0.00}x");
            Console.WriteLine($"  two at a time       tasks/s           crucible {parallelJobs / parC.Wall,7:0.00}      direct pytest {parallelJobs / parD.Wall,7:0.00}      ratio {parC.Wall / parD.Wall:0.00}x (time)");
            Console.WriteLine($"                      CPU/task          crucible {parC.Cpu / parallelJobs * 1000,7:0} ms   direct pytest {parD.Cpu / parallelJobs * 1000,7:0} ms   ratio {parC.Cpu / parD.Cpu:0.00}x");
            return 0;
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>The base tree with gold and test patches applied, outside any sandbox: the baseline's checkout.</summary>
    private static string PlainCheckout(RepositoryTask t, RepositorySources sources, string root)
    {
        var dir = Path.Combine(root, "plain", t.InstanceId);
        Directory.CreateDirectory(dir);
        Run("sh", ["-c", $"git -C '{sources.RepositoryPath(t)}' archive {t.BaseCommit} | tar -x -C '{dir}'"], null);
        File.WriteAllText(Path.Combine(root, "p.patch"), t.GoldPatch + t.TestPatch);
        Run("git", ["apply", Path.Combine(root, "p.patch")], dir);
        return dir;
    }

    /// <summary>The same command the grader runs (same pytest options, env and test files), directly on the host.</summary>
    private static void RunDirect(RepositoryTask t, RepositorySources sources, string checkout)
    {
        var env = sources.Environment(t);
        var junit = Path.Combine(checkout, ".crucible", "junit.xml");
        Directory.CreateDirectory(Path.GetDirectoryName(junit)!);
        var command = env.TestCommand.Replace("{python}", env.PythonExecutable, StringComparison.Ordinal)
            .Replace("{junit}", junit, StringComparison.Ordinal)
            .Replace("{tests}", string.Join(' ', env.RunnableTests(t.TestPatch)), StringComparison.Ordinal);
        var vars = new Dictionary<string, string>(env.Env) { ["PYTHONDONTWRITEBYTECODE"] = "1" };
        Run("sh", ["-c", command], checkout, vars);
        var statuses = JUnitReport.Parse(File.ReadAllBytes(junit));
        if (t.FailToPass.Any(id => statuses.GetValueOrDefault(id) != TestStatus.Passed)) throw new InvalidOperationException($"{t.InstanceId}: direct run did not pass");
    }

    private static async Task<(double Wall, double Cpu)> MeasureAsync(Func<Task> work)
    {
        var cpu0 = TreeCpuSeconds();
        var sw = Stopwatch.StartNew();
        await work();
        return (sw.Elapsed.TotalSeconds, TreeCpuSeconds() - cpu0);
    }

    /// <summary>
    /// utime + stime + cutime + cstime of this process (its own CPU and that of every child reaped, e.g. git on the
    /// host and the direct pytest runs), plus the cpuacct usage of this process's sandbox cgroups (everything that ran
    /// inside a sandbox, which rusage does not see).
    /// </summary>
    private static double TreeCpuSeconds() => RusageSeconds() + SandboxCgroupSeconds();

    private static double SandboxCgroupSeconds()
    {
        var prefix = $"crucible-{Environment.ProcessId}-";
        double total = 0;
        foreach (var line in File.ReadLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length < 3) continue;
            if (parts[1].Split(',').Contains("cpuacct"))
            {
                var root = Directory.Exists("/sys/fs/cgroup/cpuacct") ? "/sys/fs/cgroup/cpuacct" : "/sys/fs/cgroup/cpu,cpuacct";
                var dir = Path.Combine(root, parts[2].TrimStart('/'));
                if (Directory.Exists(dir))
                    foreach (var d in Directory.GetDirectories(dir, prefix + "*"))
                        if (File.Exists(Path.Combine(d, "cpuacct.usage"))) total += long.Parse(File.ReadAllText(Path.Combine(d, "cpuacct.usage")).Trim(), CultureInfo.InvariantCulture) / 1e9;
            }
            else if (parts[0] == "0" && parts[1].Length == 0)
            {
                var dir = Path.Combine("/sys/fs/cgroup", parts[2].TrimStart('/'));
                if (Directory.Exists(dir))
                    foreach (var d in Directory.GetDirectories(dir, prefix + "*"))
                        foreach (var stat in File.ReadLines(Path.Combine(d, "cpu.stat")).Where(l => l.StartsWith("usage_usec ", StringComparison.Ordinal)))
                            total += long.Parse(stat[11..], CultureInfo.InvariantCulture) / 1e6;
            }
        }
        return total;
    }

    private static double RusageSeconds()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return Enumerable.Range(11, 4).Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static void Run(string file, string[] args, string? cwd, IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (cwd is not null) psi.WorkingDirectory = cwd;
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0 && file != "sh") throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {err.Result}");
    }

    private static string FindExamples()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (Directory.Exists(Path.Combine(dir, "examples", "swe"))) return Path.Combine(dir, "examples", "swe");
        throw new DirectoryNotFoundException("examples/swe not found above " + AppContext.BaseDirectory);
    }
}
