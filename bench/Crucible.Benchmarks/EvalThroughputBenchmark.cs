using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Crucible.Bench;
using Crucible.Judge;
using Crucible.Sandbox;

namespace Crucible.Benchmarks;

/// <summary>
/// <c>eval-throughput</c>: judges a generated workload with <c>crucible eval</c>'s machinery (Evaluator → Judge →
/// one sandbox session per sample, compiled once, every test in it) and, in the same run on a stratified subset of
/// the same samples, with a naive baseline that opens a fresh sandboxed session — a fresh compile and process —
/// for every test. Reports tests/second of each and their ratio, and checks that both agree on every verdict.
/// </summary>
internal static class EvalThroughputBenchmark
{
    public static Command Create()
    {
        // Defaults sized for < 3 minutes on an idle 2-core machine; the ratio, not the absolute rate, is the result.
        var problems = new Option<int>("--problems") { Description = "Generated problems.", DefaultValueFactory = _ => 100 };
        var samples = new Option<int>("--samples") { Description = "Samples per problem.", DefaultValueFactory = _ => 6 };
        var tests = new Option<int>("--tests") { Description = "Tests per problem.", DefaultValueFactory = _ => 15 };
        var cpp = new Option<double>("--cpp-share") { Description = "Fraction of samples in C++ (the rest Python).", DefaultValueFactory = _ => 0.2 };
        var baseline = new Option<int>("--baseline-samples") { Description = "Samples (all their tests) judged the naive way, spread over the workload.", DefaultValueFactory = _ => 16 };
        var parallel = new Option<int>("--parallel") { Description = "Concurrent submissions (Crucible) and concurrent tests (baseline).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var cmd = new Command("eval-throughput", "Evaluation throughput of Crucible vs a fresh sandbox (compile + process) per test, measured in the same run.")
        {
            problems, samples, tests, cpp, baseline, parallel,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var (data, set) = EvalWorkload.Create(parse.GetValue(problems), parse.GetValue(samples), parse.GetValue(tests), parse.GetValue(cpp));
            return await RunAsync(data, set, parse.GetValue(baseline), parse.GetValue(parallel), ct);
        });
        return cmd;
    }

    private static async Task<int> RunAsync(Dataset data, SampleSet set, int baselineSamples, int parallel, CancellationToken ct)
    {
        var state = Path.Combine(Path.GetTempPath(), "crucible-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var totalTests = set.Samples.Sum(s => data.Find(s.ProblemId)!.Tests.Count);
            Console.WriteLine($"workload: {data.Problems.Count} problems × {set.Samples.Count / Math.Max(1, data.Problems.Count)} samples, {totalTests} test runs, " +
                              $"{set.Samples.Count(s => s.Language == "cpp")} C++ / {set.Samples.Count(s => s.Language == "python")} Python samples; {Environment.ProcessorCount} cores, parallel {parallel}");

            // Interleaved in rounds (a slice of the workload with Crucible, then the naive way on a stratified subset of
            // that slice) so a shared machine's changing load falls on both sides alike. Each side has its own cold
            // compile cache.
            await using var pool = SandboxPool.Create(new SandboxOptions { StateRoot = Path.Combine(state, "crucible"), MaxSessions = Math.Max(64, parallel * 2) });
            await using var naivePool = SandboxPool.Create(new SandboxOptions { StateRoot = Path.Combine(state, "baseline"), MaxSessions = Math.Max(64, parallel * 2), Zygotes = false });
            using var store = ResultStore.Open(Path.Combine(state, "results.db"));
            var judge = new SandboxSubmissionJudge(new Crucible.Judge.Judge(pool), JudgeOptions.Default);
            var evaluator = new Evaluator(judge, store, new EvalOptions { Parallelism = parallel });
            const int rounds = 4;
            var crucibleTime = TimeSpan.Zero;
            var baselineTime = TimeSpan.Zero;
            var baselineTests = 0;
            var baselineVerdicts = new Dictionary<(string, int), bool>();
            var baselineBusy = new Dictionary<string, (int Tests, double Busy)>();
            var outcomes = new List<SampleOutcome>();
            var subsetCount = 0;
            for (var r = 0; r < rounds; r++)
            {
                var slice = set.Samples.Where((_, i) => i % rounds == r).ToList();
                var clock = Stopwatch.StartNew();
                var part = await evaluator.RunAsync(data, new SampleSet { Source = set.Source, Sha256 = set.Sha256, Samples = slice }, null, ct);
                crucibleTime += clock.Elapsed;
                outcomes.AddRange(part.Outcomes);

                var subset = Stratified(slice, Math.Max(1, baselineSamples / rounds));
                subsetCount += subset.Count;
                var (time, count, verdicts, busy) = await BaselineAsync(data, subset, naivePool, parallel, ct);
                baselineTime += time;
                baselineTests += count;
                foreach (var (k, v) in verdicts) baselineVerdicts[k] = v;
                foreach (var (lang, b) in busy)
                    baselineBusy[lang] = baselineBusy.TryGetValue(lang, out var prev) ? (prev.Tests + b.Tests, prev.Busy + b.Busy) : b;
            }
            var run = new EvalRun { Dataset = data, Samples = set, Outcomes = outcomes, Judged = outcomes.Count, Elapsed = crucibleTime };

            var infra = run.InfrastructureErrors;
            var expectedOk = run.Outcomes.Count(o => o.Result.Passed == (o.Sample.Labels["expect"] == "pass"));
            var bySample = run.Outcomes.ToDictionary(o => (o.Sample.ProblemId, o.Sample.Index), o => o.Result.Passed);
            var agree = baselineVerdicts.Count(kv => bySample[kv.Key] == kv.Value);

            var crucibleRate = totalTests / crucibleTime.TotalSeconds;
            var baselineRate = baselineTests / baselineTime.TotalSeconds;
            Console.WriteLine();
            Console.WriteLine($"crucible eval : {totalTests,7} tests in {crucibleTime.TotalSeconds,7:0.0} s = {crucibleRate,8:0.0} tests/s ({run.Outcomes.Count / crucibleTime.TotalSeconds:0.0} samples/s, compiles: {pool.CompileCache.Compilations})");
            Console.WriteLine($"naive baseline: {baselineTests,7} tests in {baselineTime.TotalSeconds,7:0.0} s = {baselineRate,8:0.0} tests/s (fresh session, compile and process per test; {subsetCount} samples)");
            Console.WriteLine($"speed-up      : {crucibleRate / baselineRate:0.0}× tests/s (wall clock, whole workload vs stratified subset)");
            // Per language: tests per busy slot-second (the sum of each unit's own wall time), comparable across the two
            // sides; the weighted ratio projects the baseline onto the whole workload's language mix.
            double crucibleBusy = 0, projectedBaselineBusy = 0;
            var weighted = true;
            foreach (var language in new[] { "python", "cpp" })
            {
                var c = run.Outcomes.Where(o => o.Sample.Language == language).GroupBy(o => o.Result.Key).Select(g => g.First()).ToList();
                var cTests = c.Sum(o => o.Result.TotalTests);
                var cBusy = c.Sum(o => o.Result.ElapsedSeconds);
                if (cTests == 0) continue;
                var (bTests, bBusy) = baselineBusy.GetValueOrDefault(language);
                if (bTests == 0)
                {
                    weighted = false;
                    Console.WriteLine($"  {language,-7}: no baseline sample in this language (raise --baseline-samples)");
                    continue;
                }
                crucibleBusy += cBusy;
                projectedBaselineBusy += cTests / (bTests / bBusy);
                Console.WriteLine($"  {language,-7}: crucible {cTests / cBusy,7:0.0} tests per busy second, baseline {bTests / bBusy,7:0.0} → {cTests / cBusy / (bTests / bBusy):0.0}×");
            }
            var mixRatio = weighted && crucibleBusy > 0 ? projectedBaselineBusy / crucibleBusy : double.NaN;
            if (weighted) Console.WriteLine($"  weighted by the workload's language mix: {mixRatio:0.0}×");
            Console.WriteLine($"checks        : {expectedOk}/{run.Outcomes.Count} verdicts as generated, {agree}/{baselineVerdicts.Count} baseline verdicts agree, {infra} infrastructure errors");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT eval-throughput crucible_tests_per_s={crucibleRate:0.0} baseline_tests_per_s={baselineRate:0.0} wall_ratio={crucibleRate / baselineRate:0.00} mix_weighted_ratio={mixRatio:0.00} tests={totalTests} seconds={crucibleTime.TotalSeconds:0.0}"));
            return infra == 0 && expectedOk == run.Outcomes.Count && agree == baselineVerdicts.Count ? 0 : 1;
        }
        finally
        {
            try { Directory.Delete(state, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Every k-th sample, so the subset has the workload's language mix.</summary>
    private static List<Sample> Stratified(IReadOnlyList<Sample> all, int count)
    {
        count = Math.Clamp(count, 1, all.Count);
        var step = (double)all.Count / count;
        return Enumerable.Range(0, count).Select(i => all[(int)(i * step)]).ToList();
    }

    /// <summary>The naive way: for each test, a brand-new session (the source made unique so the compile cache cannot help), one run, dispose.</summary>
    private static async Task<(TimeSpan Time, int Tests, Dictionary<(string, int), bool> Verdicts, Dictionary<string, (int Tests, double Busy)> PerLanguage)> BaselineAsync(
        Dataset data, List<Sample> subset, SandboxPool pool, int parallel, CancellationToken ct)
    {
        var work = subset.SelectMany(s => data.Find(s.ProblemId)!.Tests.Cast<StdioTest>().Select((t, i) => (Sample: s, Test: t, Index: i))).ToList();
        var failed = new ConcurrentDictionary<(string, int), bool>();
        var busy = new ConcurrentDictionary<string, (int Tests, double Busy)>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct }, async (w, token) =>
        {
            var started = Stopwatch.StartNew();
            var comment = w.Sample.Language == "cpp" ? "//" : "#";
            var source = w.Sample.Code + $"\n{comment} baseline test {w.Index}\n";
            await using var session = await pool.OpenSessionAsync(new SourceProgram(w.Sample.Language, source), ResourceLimits.Default, token);
            var r = await session.RunAsync(new RunRequest { Stdin = Encoding.UTF8.GetBytes(w.Test.Input) }, token);
            var ok = r.Verdict == Verdict.Ok && r.Stdout.Trim() == w.Test.ExpectedOutput.Trim();
            if (!ok) failed[(w.Sample.ProblemId, w.Sample.Index)] = true;
            var spent = started.Elapsed.TotalSeconds;
            busy.AddOrUpdate(w.Sample.Language, (1, spent), (_, v) => (v.Tests + 1, v.Busy + spent));
        });
        var elapsed = clock.Elapsed;
        return (elapsed, work.Count, subset.ToDictionary(s => (s.ProblemId, s.Index), s => !failed.ContainsKey((s.ProblemId, s.Index))), new Dictionary<string, (int, double)>(busy));
    }
}
