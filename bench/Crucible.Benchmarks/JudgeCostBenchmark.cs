using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Crucible.Judge;
using Crucible.Sandbox;

namespace Crucible.Benchmarks;

/// <summary>
/// What one judged run costs, split into the sandbox's CPU (the pool's cgroups) and the host's (this process), for
/// 1, 100 and 1,000 function-call tests, interleaved in the same run with two baselines: a trivial stdin program judged
/// through the same path (the sandbox's floor per run) and the same calls made by a plain Python loop outside any
/// sandbox (the floor per input). Reports CPU per run, CPU per input, and the ratios to the baselines.
/// Usage: <c>dotnet run -c Release --project bench/Crucible.Benchmarks -- judge-cost [--rounds N]</c>.
/// </summary>
internal static class JudgeCostBenchmark
{
    private const string Code = "def f(xs, k):\n    return sorted(x * k + 3 for x in xs if x % 3 != 1)\n";

    public static Command Create()
    {
        var rounds = new Option<int>("--rounds") { Description = "Interleaved rounds.", DefaultValueFactory = _ => 3 };
        var command = new Command("judge-cost", "CPU per judged run and per input (sandbox and host) vs a trivial run and a plain Python loop.") { rounds };
        command.SetAction(async (parse, _) => await RunAsync(parse.GetValue(rounds)));
        return command;
    }

    private static async Task<int> RunAsync(int rounds)
    {
        var state = Path.Combine(Path.GetTempPath(), "crucible-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using var pool = SandboxPool.Create(new SandboxOptions { StateRoot = state });
            var judge = new Judge.Judge(pool);
            var rnd = new Random(1);
            Problem Calls(int n) => new()
            {
                Id = $"bench/calls-{n}",
                Tests = Enumerable.Range(0, n).Select(_ =>
                {
                    var xs = Enumerable.Range(0, 10).Select(_ => rnd.Next(100)).ToArray();
                    var expected = xs.Where(x => x % 3 != 1).Select(x => x * 3 + 3).Order();
                    return (TestCase)new FunctionCallTest("f", $"[[{string.Join(",", xs)}],3]", $"[{string.Join(",", expected)}]") { EvalPlus = new EvalPlusCheck() };
                }).ToList(),
            };
            var trivial = new Problem { Id = "bench/trivial", Tests = [new StdioTest("", "hi\n")] };
            var cases = new (string Name, Problem Problem, string Code, int Reps)[]
            {
                ("trivial stdin program (floor per run)", trivial, "print('hi')\n", 100),
                ("1 function-call test", Calls(1), Code, 100),
                ("100 function-call tests", Calls(100), Code, 40),
                ("1,000 function-call tests", Calls(1000), Code, 10),
            };
            var sandboxMs = cases.Select(_ => new List<double>()).ToArray();
            var hostMs = cases.Select(_ => new List<double>()).ToArray();
            var loopUs = new List<double>();
            var loopInputs = string.Join("\n", ((FunctionCallTest[])[.. Calls(1000).Tests.Cast<FunctionCallTest>()]).Select(t => t.ArgumentsJson));
            for (var round = -1; round < rounds; round++)
            {
                for (var c = 0; c < cases.Length; c++)
                {
                    var sandbox0 = pool.SandboxCpuTime ?? TimeSpan.Zero;
                    var host0 = Process.GetCurrentProcess().TotalProcessorTime;
                    for (var r = 0; r < cases[c].Reps; r++)
                    {
                        var result = await judge.JudgeAsync(new Submission(cases[c].Problem, "python", cases[c].Code));
                        if (!result.Passed) throw new InvalidOperationException($"{cases[c].Name}: expected a pass, got {result.Message}");
                    }
                    if (round < 0) continue; // warm-up: compile caches, zygotes, JIT
                    sandboxMs[c].Add(((pool.SandboxCpuTime ?? TimeSpan.Zero) - sandbox0).TotalMilliseconds / cases[c].Reps);
                    hostMs[c].Add((Process.GetCurrentProcess().TotalProcessorTime - host0).TotalMilliseconds / cases[c].Reps);
                }
                var loop = PlainLoopMicroseconds(loopInputs);
                if (round >= 0) loopUs.Add(loop);
            }
            static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
            Console.WriteLine($"judge-cost: {rounds} interleaved rounds, median CPU per judged run ({Environment.ProcessorCount} cores)");
            Console.WriteLine($"{"case",-40} {"sandbox ms",11} {"host ms",9} {"total ms",9}");
            for (var c = 0; c < cases.Length; c++)
                Console.WriteLine($"{cases[c].Name,-40} {Median(sandboxMs[c]),11:0.00} {Median(hostMs[c]),9:0.00} {Median(sandboxMs[c]) + Median(hostMs[c]),9:0.00}");
            var floor = Median(sandboxMs[0]) + Median(hostMs[0]);
            var one = Median(sandboxMs[1]) + Median(hostMs[1]);
            var thousand = Median(sandboxMs[3]) + Median(hostMs[3]);
            var perInput = (thousand - one) / 999 * 1000;
            var sandboxPerInput = (Median(sandboxMs[3]) - Median(sandboxMs[1])) / 999 * 1000;
            var hostPerInput = (Median(hostMs[3]) - Median(hostMs[1])) / 999 * 1000;
            var plain = Median(loopUs);
            Console.WriteLine($"per run before the first test: {one:0.00} ms = {one / floor:0.00}x the trivial run's {floor:0.00} ms");
            Console.WriteLine($"per input: {perInput:0.0} us (sandbox {sandboxPerInput:0.0}, host {hostPerInput:0.0}) = {perInput / plain:0.00}x a plain Python loop's {plain:0.0} us (call, ==, no sandbox)");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT judge-cost run_ms={one:0.00} trivial_run_ms={floor:0.00} run_ratio={one / floor:0.00} input_us={perInput:0.0} loop_input_us={plain:0.0} input_ratio={perInput / plain:0.00}"));
            return 0;
        }
        finally
        {
            try { Directory.Delete(state, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>CPU per call of the same function over the same 1,000 inputs, compared with ==, in a plain python3 (no sandbox).</summary>
    private static double PlainLoopMicroseconds(string inputs)
    {
        const string script = "import sys, json, time\n" + Code +
            "calls = [json.loads(line) for line in sys.stdin.read().splitlines()]\n" +
            "t = time.process_time()\nfor _ in range(20):\n    for a in calls:\n        f(*a) == [0]\n" +
            "print((time.process_time() - t) / (20 * len(calls)) * 1e6)\n";
        using var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", script]) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false })!;
        p.StandardInput.Write(inputs);
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }
}
