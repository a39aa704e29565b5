using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Crucible.Bench;
using Crucible.Judge;
using Crucible.Sandbox;

namespace Crucible.Benchmarks;

/// <summary>
/// <c>evalplus-scale</c>: a HumanEval+-sized workload (<see cref="EvalPlusWorkload"/>: 164 problems × 10 samples,
/// HumanEval+'s test counts) judged by <c>crucible eval</c>'s machinery (expected outputs from the canonical solutions
/// in the sandbox, each problem's samples judged in sandbox sessions of their own as soon as its expected outputs are
/// in, EvalPlus semantics) and, in the same run, by a plain
/// unsandboxed Python loop of EvalPlus's shape (ground truth in the parent, then each sample's function called on each
/// input in a pool of worker processes, stopping at a split's first failure). Reports wall time, CPU time and the
/// peak resident memory of each side's whole process tree, and checks that both count the same passing samples.
/// Each side is measured <c>--rounds</c> times in the order python, crucible, crucible, python … and the totals
/// compared, so that a machine whose speed drifts during the run weighs on both sides alike.
/// </summary>
internal static class EvalPlusScaleBenchmark
{
    public static Command Create()
    {
        var problems = new Option<int>("--problems") { Description = "Problems (HumanEval+ has 164).", DefaultValueFactory = _ => 164 };
        var samples = new Option<int>("--samples") { Description = "Samples per problem.", DefaultValueFactory = _ => 10 };
        // crucible eval's default on both sides (docs/evalplus.md "Session 8" has runs at 3).
        var parallel = new Option<int>("--parallel") { Description = "Concurrent samples on each side (default: crucible eval's, the number of cores).", DefaultValueFactory = _ => EvalOptions.DefaultParallelism };
        var rounds = new Option<int>("--rounds") { Description = "Measurements of each side, alternating python, crucible, crucible, python … (this VM's speed drifts by a quarter over a minute; the alternation cancels a steady drift). Totals are compared.", DefaultValueFactory = _ => 2 };
        var extra = new Option<int>("--extra-light") { Description = "Crucible's submissions beyond --parallel while their expected answers are small (crucible eval's default: 1).", DefaultValueFactory = _ => 1 };
        var cmd = new Command("evalplus-scale", "HumanEval+-sized evaluation: Crucible vs an unsandboxed Python loop of EvalPlus's shape; wall, CPU and peak memory.")
        {
            problems, samples, parallel, extra, rounds,
        };
        cmd.SetAction(async (parse, ct) => await RunAsync(parse.GetValue(problems), parse.GetValue(samples), parse.GetValue(parallel), parse.GetValue(extra), Math.Max(1, parse.GetValue(rounds)), ct));
        return cmd;
    }

    private static async Task<int> RunAsync(int problems, int samplesPerProblem, int parallel, int extraLight, int rounds, CancellationToken ct)
    {
        var dir = Path.Combine(Path.GetTempPath(), "crucible-evalplus-scale-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var (datasetPath, samplesPath, tests) = EvalPlusWorkload.Write(dir, problems, samplesPerProblem);
            Console.WriteLine($"workload: {problems} problems × {samplesPerProblem} samples, {tests} inputs ({tests / (double)problems:0} per problem), " +
                              $"{new FileInfo(datasetPath).Length / 1e6:0.0} MB dataset; {Environment.ProcessorCount} cores, parallel {parallel} (crucible: + {extraLight} light)");

            // The baseline first, so the .NET side's own heap does not sit under the Python side's measurement; with
            // more rounds the order alternates (python, crucible, crucible, python …) and the totals are compared.
            var pythons = new List<Side>();
            var crucibles = new List<Side>();
            for (var round = 0; round < rounds; round++)
            {
                var roundDir = Path.Combine(dir, "round" + round.ToString(CultureInfo.InvariantCulture));
                Directory.CreateDirectory(roundDir);
                foreach (var pythonSide in round % 2 == 0 ? new[] { true, false } : [false, true])
                {
                    if (pythonSide) pythons.Add(await PythonLoopAsync(roundDir, datasetPath, samplesPath, parallel, ct));
                    else crucibles.Add(await CrucibleAsync(roundDir, datasetPath, samplesPath, parallel, extraLight, ct));
                    GC.Collect();
                }
                if (rounds > 1)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"round {round + 1}: crucible {crucibles[^1].Wall:0.0} s, python {pythons[^1].Wall:0.0} s, wall ratio {crucibles[^1].Wall / pythons[^1].Wall:0.00}"));
            }
            var python = Total(pythons);
            var crucible = Total(crucibles);

            static string Gb(long b) => (b / (1024.0 * 1024 * 1024)).ToString("0.00", CultureInfo.InvariantCulture);
            Console.WriteLine();
            Console.WriteLine($"{"",-22} {"wall s",8} {"CPU s",8} {"peak GiB",9} {"plus pass",10}");
            Console.WriteLine($"{"python loop (no sandbox)",-22} {python.Wall,8:0.0} {python.Cpu,8:0.0} {Gb(python.Peak),9} {python.PlusPassed,10}");
            Console.WriteLine($"{"crucible (sandboxed)",-22} {crucible.Wall,8:0.0} {crucible.Cpu,8:0.0} {Gb(crucible.Peak),9} {crucible.PlusPassed,10}");
            Console.WriteLine($"  expected outputs: crucible's done {crucible.OracleWall:0.0} s into judging (judging overlaps them), python's took {python.OracleWall:0.0} s before judging");
            Console.WriteLine($"ratios (crucible / python): wall {crucible.Wall / python.Wall:0.00}, CPU {crucible.Cpu / python.Cpu:0.00}, peak memory {crucible.Peak / (double)python.Peak:0.00}; " +
                              $"CPU per 1,000 inputs judged: crucible {1000 * crucible.Cpu / crucible.Inputs:0.000} s, python {1000 * python.Cpu / python.Inputs:0.000} s");
            var agree = crucible.PlusPassed == python.PlusPassed && crucible.BasePassed == python.BasePassed;
            Console.WriteLine($"checks: base pass {crucible.BasePassed} vs {python.BasePassed}, plus pass {crucible.PlusPassed} vs {python.PlusPassed}, {crucible.Infra} infrastructure errors, {crucible.Issues} dataset issues");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT evalplus-scale crucible_wall_s={crucible.Wall:0.0} python_wall_s={python.Wall:0.0} wall_ratio={crucible.Wall / python.Wall:0.00} crucible_cpu_s={crucible.Cpu:0.0} python_cpu_s={python.Cpu:0.0} crucible_peak_gib={Gb(crucible.Peak)} python_peak_gib={Gb(python.Peak)} agree={agree}"));
            return agree && crucible.Infra == 0 ? 0 : 1;
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private sealed record Side(double Wall, double Cpu, long Peak, int BasePassed, int PlusPassed, double OracleWall, long Inputs, int Infra = 0, int Issues = 0);

    // Sums of time and work over the rounds, the highest peak; pass counts must be the same in every round (each
    // round judges the whole workload afresh), so a round that disagrees makes the total disagree.
    private static Side Total(List<Side> sides) => new(
        sides.Sum(x => x.Wall), sides.Sum(x => x.Cpu), sides.Max(x => x.Peak),
        sides.Select(x => x.BasePassed).Distinct().Count() == 1 ? sides[0].BasePassed : -1,
        sides.Select(x => x.PlusPassed).Distinct().Count() == 1 ? sides[0].PlusPassed : -1,
        sides.Average(x => x.OracleWall), sides.Sum(x => x.Inputs), sides.Sum(x => x.Infra), sides.Max(x => x.Issues));

    private static async Task<Side> CrucibleAsync(string dir, string datasetPath, string samplesPath, int parallel, int extraLight, CancellationToken ct)
    {
        var host0 = ProcessTreeUsage.CpuSecondsSelf();
        var clock = Stopwatch.StartNew();
        using var memory = ProcessTreeUsage.Watch(Environment.ProcessId);
        int basePassed, plusPassed, infra, issues;
        double oracleWall, hostCpu, sandboxCpu;
        long inputs;
        await using (var pool = SandboxPool.Create(new SandboxOptions { StateRoot = Path.Combine(dir, "state"), MaxSessions = Math.Max(64, (parallel + extraLight) * 2), PrestartedRunners = parallel + extraLight + 1 }))
        {
            var poolWall = clock.Elapsed.TotalSeconds;
            using var store = ResultStore.Open(Path.Combine(dir, "results.db"));
            var data = await DatasetLoader.LoadAsync(datasetPath, cancellationToken: ct);
            var loadWall = clock.Elapsed.TotalSeconds;
            var set = await SampleLoader.LoadAsync(samplesPath, data, ct);
            var samplesWall = clock.Elapsed.TotalSeconds;
            // As crucible eval runs it: each problem's samples are judged as soon as its expected outputs are in.
            var expected = new ReferenceOracle(pool, store).Start(data, cancellationToken: ct);
            var oracleDone = expected.Completed.ContinueWith(_ => clock.Elapsed.TotalSeconds, TaskScheduler.Default);
            var judge = new SandboxSubmissionJudge(new Crucible.Judge.Judge(pool), JudgeOptions.Default with { StopAtFirstFailure = true, PassedTestPreviews = false }); // as crucible eval judges
            var run = await new Evaluator(judge, store, new EvalOptions { Parallelism = parallel, ExtraLightSubmissions = extraLight }).RunAsync(expected, set, cancellationToken: ct);
            data = run.Dataset;
            oracleWall = await oracleDone - samplesWall;
            Console.WriteLine($"crucible phases: pool {poolWall:0.00} s, dataset {loadWall - poolWall:0.00} s, samples file {samplesWall - loadWall:0.00} s, " +
                              $"expected outputs done {oracleWall:0.00} s into judging, judging {clock.Elapsed.TotalSeconds - samplesWall:0.00} s");
            basePassed = run.Outcomes.Count(o => EvalPlusSplits.Status(data.Find(o.Sample.ProblemId)!, o.Result, EvalPlusFormat.BaseGroup, Grader.EvalPlus) == EvalPlusSplits.Pass);
            plusPassed = run.Outcomes.Count(o => EvalPlusSplits.Passed(data.Find(o.Sample.ProblemId)!, o.Result, Grader.EvalPlus));
            infra = run.InfrastructureErrors;
            issues = data.Issues.Count;
            inputs = run.Outcomes.Sum(o => (long)o.Result.TestOutcomes.Count(ch => ch != '-'));
            // The sandboxes' CPU comes from the pool's cgroups: zygotes and their children are never reaped by this
            // process's own children, so rusage would miss them.
            hostCpu = ProcessTreeUsage.CpuSecondsSelf() - host0;
            memory.Dispose();
            // The sampler runs in this process but measures; the Python side's CPU never includes it either.
            hostCpu -= memory.SamplerCpuSeconds;
            sandboxCpu = pool.SandboxCpuTime?.TotalSeconds ?? 0;
            Console.WriteLine($"crucible sandbox runs: {pool.ZygoteRuns} zygote, {pool.WarmRuns} warm, {pool.ColdRuns} cold; " +
                              $"CPU: host process {hostCpu:0.0} s, sandboxes {sandboxCpu:0.0} s (cgroup accounting)");
        }
        var wall = clock.Elapsed.TotalSeconds;
        memory.Dispose();
        return new Side(wall, hostCpu + sandboxCpu, memory.PeakBytes, basePassed, plusPassed, oracleWall, inputs, infra, issues);
    }

    private static async Task<Side> PythonLoopAsync(string dir, string datasetPath, string samplesPath, int parallel, CancellationToken ct)
    {
        var script = Path.Combine(dir, "loop.py");
        await File.WriteAllTextAsync(script, PythonLoop, ct);
        var cpu0 = ProcessTreeUsage.CpuSecondsSelfAndChildren();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo("python3", [script, datasetPath, samplesPath, parallel.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true, UseShellExecute = false,
        }) ?? throw new InvalidOperationException("cannot start python3");
        using var memory = ProcessTreeUsage.Watch(process.Id);
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var wall = clock.Elapsed.TotalSeconds;
        memory.Dispose();
        var cpu = ProcessTreeUsage.CpuSecondsSelfAndChildren() - cpu0;
        if (process.ExitCode != 0) throw new InvalidOperationException($"the Python loop failed (exit {process.ExitCode}): {output}");
        using var doc = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var r = doc.RootElement;
        return new Side(wall, cpu, memory.PeakBytes, r.GetProperty("base").GetInt32(), r.GetProperty("plus").GetInt32(), r.GetProperty("oracle_wall").GetDouble(), r.GetProperty("inputs").GetInt64());
    }

    // EvalPlus's evaluator, reduced to its shape: expected outputs from the canonical solutions in the parent, then a
    // pool of workers; as EvalPlus's untrusted_check does, each split of a sample runs in a process of its own
    // (multiprocessing.Process, fork), which execs the code and calls the function on each input until the first
    // failure, compared with == (and the float tolerance), its verdict coming back through shared memory. No sandbox,
    // no limits: the cheapest honest baseline of that shape.
    private const string PythonLoop = """
        import json, sys, time, copy, multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        def is_floats(x):
            return isinstance(x, float) or (isinstance(x, (list, tuple)) and len(x) > 0 and all(isinstance(i, float) for i in x))

        def close(out, exp, atol):
            if isinstance(exp, float):
                return type(out) is float and abs(out - exp) <= atol + 1e-7 * abs(exp)
            return type(out) == type(exp) and len(out) == len(exp) and all(close(a, b, atol) for a, b in zip(out, exp))

        def split(code, entry, inputs, expected, stat, ran):
            try:
                g = {}
                exec(code, g)
                fn = g[entry]
            except BaseException:
                return
            atol = 0
            for inp, exp in zip(inputs, expected):
                ran.value += 1
                try:
                    out = fn(*inp)
                    if atol == 0 and is_floats(exp):
                        atol = 1e-6
                    if not (out == exp or (atol and close(out, exp, atol))):
                        return
                except BaseException:
                    return
            stat.value = 1

        def untrusted_split(code, entry, inputs, expected):
            ctx = mp.get_context("fork")
            stat, ran = ctx.Value("i", 0), ctx.Value("i", 0)
            p = ctx.Process(target=split, args=(code, entry, inputs, expected, stat, ran))
            p.start()
            p.join(60)
            if p.is_alive():
                p.kill()
            return stat.value == 1, ran.value

        def check(task):
            code, entry, base, plus, eb, ep = task
            b, nb = untrusted_split(code, entry, base, eb)
            p, np_ = untrusted_split(code, entry, plus, ep)
            return b, p, nb + np_

        def main():
            dataset, samples, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
            problems = {}
            t0 = time.time()
            with open(dataset) as f:
                for line in f:
                    p = json.loads(line)
                    g = {}
                    exec(p["prompt"] + p["canonical_solution"], g)
                    fn = g[p["entry_point"]]
                    p["eb"] = [fn(*copy.deepcopy(i)) for i in p["base_input"]]
                    p["ep"] = [fn(*copy.deepcopy(i)) for i in p["plus_input"]]
                    problems[p["task_id"]] = p
            oracle = time.time() - t0
            tasks = []
            with open(samples) as f:
                for line in f:
                    s = json.loads(line)
                    p = problems[s["task_id"]]
                    tasks.append((s["solution"], p["entry_point"], p["base_input"], p["plus_input"], p["eb"], p["ep"]))
            base = plus = inputs = 0
            # A ProcessPoolExecutor as EvalPlus's: its workers may fork a process per split.
            with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
                for b, p, n in pool.map(check, tasks):
                    base += b
                    plus += b and p
                    inputs += n
            print(json.dumps({"base": base, "plus": plus, "inputs": inputs, "oracle_wall": oracle}))

        if __name__ == "__main__":
            main()
        """;
}
