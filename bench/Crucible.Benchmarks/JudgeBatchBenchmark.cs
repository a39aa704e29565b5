using System.Diagnostics;
using System.Globalization;
using Crucible.Judge;
using Crucible.Sandbox;

namespace Crucible.Benchmarks;

/// <summary>
/// Tests per second for one 100-test function-call sample (and one 100-assertion sample), judged with all tests in
/// one process (batch) and with one process per test, interleaved in the same run so machine load hits both alike.
/// Usage: <c>dotnet run --project bench/Crucible.Benchmarks -c Release -- judge-batch [rounds] [cold]</c>
/// (<c>cold</c>: every run starts its own interpreter instead of forking from a warm runner).
/// </summary>
internal static class JudgeBatchBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var cold = args.Contains("cold");
        var state = Path.Combine(Path.GetTempPath(), "crucible-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using var pool = SandboxPool.Create(new SandboxOptions { StateRoot = state, WarmRunners = !cold, Zygotes = !cold });
            var judge = new Judge.Judge(pool);
            const string code = "def f(xs, k):\n    return sorted(x * k for x in xs)[:3]\n";
            var calls = new Problem
            {
                Id = "bench/calls",
                Tests = Enumerable.Range(0, 100).Select(i => (TestCase)new FunctionCallTest("f", $"[[{i}, {i + 7}, 3, 1], {i % 5}]",
                    "[" + string.Join(", ", new[] { i, i + 7, 3, 1 }.Select(x => x * (i % 5)).Order().Take(3)) + "]")).ToList(),
            };
            var asserts = calls with
            {
                Id = "bench/asserts",
                Tests = calls.Tests.Cast<FunctionCallTest>().Select(t => (TestCase)new AssertionTest($"assert f(*{t.ArgumentsJson}) == {t.ExpectedJson}")).ToList(),
            };
            var modes = new (string Name, Problem Problem, JudgeOptions Options)[]
            {
                ("function calls, batch", calls, new JudgeOptions { Batch = true }),
                ("function calls, one process per test", calls, new JudgeOptions { Batch = false }),
                ("assertions, batch", asserts, new JudgeOptions { Batch = true }),
                ("assertions, one process per test", asserts, new JudgeOptions { Batch = false }),
            };
            var seconds = modes.Select(_ => new List<double>()).ToArray();
            // One warm-up each (compile cache, page cache), then interleaved measured rounds.
            for (var round = -1; round < rounds; round++)
            {
                for (var m = 0; m < modes.Length; m++)
                {
                    var sw = Stopwatch.StartNew();
                    var r = await judge.JudgeAsync(new Submission(modes[m].Problem, "python", code), modes[m].Options);
                    sw.Stop();
                    if (!r.Passed) throw new InvalidOperationException($"{modes[m].Name}: expected a pass, got {r.Message}");
                    if (round >= 0) seconds[m].Add(sw.Elapsed.TotalSeconds);
                }
            }
            Console.WriteLine($"judge-batch: 100 tests per sample, {rounds} rounds, {(cold ? "cold runs" : "warm runners")}, median wall time per sample ({Environment.ProcessorCount} cores)");
            for (var m = 0; m < modes.Length; m++)
            {
                var median = seconds[m].Order().ElementAt(seconds[m].Count / 2);
                Console.WriteLine($"  {modes[m].Name,-40} {median,7:0.000} s  {100 / median,8:0.0} tests/s");
            }
            double Median(int m) => seconds[m].Order().ElementAt(seconds[m].Count / 2);
            Console.WriteLine($"  batch speed-up: function calls {Median(1) / Median(0):0.0}x, assertions {Median(3) / Median(2):0.0}x");
            return 0;
        }
        finally
        {
            try { Directory.Delete(state, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
