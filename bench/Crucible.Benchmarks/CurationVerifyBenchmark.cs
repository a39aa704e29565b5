using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Crucible.Bench;
using Crucible.Curation;
using Crucible.Judge;
using Crucible.Sandbox;

namespace Crucible.Benchmarks;

/// <summary>
/// <c>curation verify</c>: verification throughput (problems per minute) of a generated dataset through the verify
/// stage (k runs of the reference, one sandbox session per run, every test inside it), and, on a subset in the same
/// run, of the way such pipelines are often written by hand: one fresh sandboxed process per test per run. Most
/// problems are sound; some have a wrong expected output or a reference with a syntax error, so the drop paths run too.
/// </summary>
internal static class CurationVerifyBenchmark
{
    public static Command Create()
    {
        var problems = new Option<int>("--problems") { Description = "Generated problems.", DefaultValueFactory = _ => 1000 };
        var baseline = new Option<int>("--baseline-problems") { Description = "Problems verified the per-test way.", DefaultValueFactory = _ => 100 };
        var runs = new Option<int>("--runs") { Description = "Reference runs per problem (flaky detection).", DefaultValueFactory = _ => 3 };
        var parallel = new Option<int>("--parallel") { Description = "Problems verified at once.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var cmd = new Command("verify", "Verification throughput (problems/min) of the verify stage vs a process per test, on a generated dataset.") { problems, baseline, runs, parallel };
        cmd.SetAction(async (parse, ct) => await RunAsync(parse.GetValue(problems), parse.GetValue(baseline), parse.GetValue(runs), parse.GetValue(parallel), ct));
        return cmd;
    }

    private static async Task<int> RunAsync(int count, int baselineCount, int runs, int parallel, CancellationToken ct)
    {
        var state = Path.Combine(Path.GetTempPath(), "crucible-bench-verify-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using var pool = SandboxPool.Create(new SandboxOptions { StateRoot = state, MaxSessions = Math.Max(64, parallel * 2) });
            var judge = new SandboxSubmissionJudge(new Crucible.Judge.Judge(pool), JudgeOptions.Default with { StopAtFirstFailure = false });
            var items = Generate(count);
            var tests = items.Sum(i => i.Problem.Tests.Count);
            Console.WriteLine($"{count} problems, {tests} tests, {runs} reference runs each, parallel {parallel}, {Environment.ProcessorCount} cores, isolation {pool.Isolation}");

            using var store = CurationStore.Open(":memory:");
            var stage = new VerifyStage(judge, new VerifyOptions { Runs = runs, Parallelism = parallel });
            // Interleaved rounds: a slice with the verify stage, then part of that slice the per-test way, so a
            // shared machine's changing load falls on both sides alike.
            const int rounds = 4;
            TimeSpan wall = TimeSpan.Zero, used = TimeSpan.Zero, baseWall = TimeSpan.Zero, baseCpu = TimeSpan.Zero;
            var decisions = new List<StageDecision>();
            int agree = 0, baselineDone = 0;
            for (var r = 0; r < rounds; r++)
            {
                var slice = items.Where((_, i) => i % rounds == r).ToList();
                var cpu = ProcessCpu.Now();
                var clock = Stopwatch.StartNew();
                var outcome = await stage.RunAsync(slice, new CurationContext { StageDirectory = state, Store = store }, ct);
                wall += clock.Elapsed;
                used += ProcessCpu.Now() - cpu;
                decisions.AddRange(outcome.Decisions);

                var subset = slice.Take(baselineCount / rounds).ToList();
                cpu = ProcessCpu.Now();
                clock.Restart();
                await Parallel.ForEachAsync(subset, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct }, async (item, token) =>
                {
                    var reference = item.Problem.References[0];
                    var passed = true;
                    for (var k = 0; k < runs; k++)
                        foreach (var t in item.Problem.Tests)
                        {
                            var single = await judge.JudgeAsync(new Submission(item.Problem with { Tests = [t] }, reference.Language, reference.Code), token);
                            passed &= single.Passed;
                        }
                    var kept = outcome.Decisions.Single(d => d.Key == item.Key).Reason == "verified";
                    if (passed == kept) Interlocked.Increment(ref agree);
                });
                baseWall += clock.Elapsed;
                baseCpu += ProcessCpu.Now() - cpu;
                baselineDone += subset.Count;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {r + 1}/{rounds}: {slice.Count} problems verified, {subset.Count} the per-test way ({(wall + baseWall).TotalSeconds:0} s so far)"));
            }
            var reasons = string.Join(", ", decisions.GroupBy(d => d.Reason).Select(g => $"{g.Count()} {g.Key}"));
            var rate = count / wall.TotalMinutes;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"verify stage: {rate:0} problems/min ({wall.TotalSeconds:0.0} s wall, {used.TotalMilliseconds / count:0} ms CPU per problem incl. sandboxes); {reasons}"));
            var baseRate = baselineDone / baseWall.TotalMinutes;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"process per test: {baseRate:0} problems/min ({baseWall.TotalSeconds:0.0} s wall, {baseCpu.TotalMilliseconds / baselineDone:0} ms CPU per problem incl. sandboxes); agrees with the verify stage on {agree}/{baselineDone} problems"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ratio: verify stage {rate / baseRate:0.0}× the problems/min, {baseCpu.TotalMilliseconds / baselineDone / (used.TotalMilliseconds / count):0.0}× less CPU per problem"));
            return 0;
        }
        finally
        {
            try { Directory.Delete(state, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Problems of four kinds (sum, max, sort, count words) with 5–10 stdin tests; 5% carry a wrong output, 3% a broken reference.</summary>
    internal static List<CurationItem> Generate(int count)
    {
        var random = new Random(11);
        var kinds = new (string Code, Func<int[], string> Answer)[]
        {
            ("import sys\nprint(sum(map(int, sys.stdin.read().split()[1:])))\n", a => a.Sum().ToString(CultureInfo.InvariantCulture)),
            ("import sys\nprint(max(map(int, sys.stdin.read().split()[1:])))\n", a => a.Max().ToString(CultureInfo.InvariantCulture)),
            ("import sys\nprint(*sorted(map(int, sys.stdin.read().split()[1:])))\n", a => string.Join(' ', a.Order())),
            ("import sys\nv = sys.stdin.read().split()[1:]\nprint(len(set(v)))\n", a => a.Distinct().Count().ToString(CultureInfo.InvariantCulture)),
        };
        var items = new List<CurationItem>(count);
        for (var i = 0; i < count; i++)
        {
            var (code, answer) = kinds[i % kinds.Length];
            var tests = new List<TestCase>();
            var n = 5 + random.Next(6);
            for (var t = 0; t < n; t++)
            {
                var values = Enumerable.Range(0, 1 + random.Next(50)).Select(_ => random.Next(-1000, 1000)).ToArray();
                tests.Add(new StdioTest($"{values.Length}\n{string.Join(' ', values)}\n", answer(values) + "\n"));
            }
            if (random.NextDouble() < 0.05) tests[0] = ((StdioTest)tests[0]) with { ExpectedOutput = "wrong\n" };
            if (random.NextDouble() < 0.03) code = code.Replace("print(", "print((", StringComparison.Ordinal);
            var problem = new Problem { Id = $"gen-{i}", Statement = $"Generated problem {i}.", Tests = tests, References = [new ReferenceSolution("python", code)] };
            items.Add(new CurationItem { Key = $"gen:{problem.Id}", Dataset = "gen", Problem = problem });
        }
        return items;
    }
}
