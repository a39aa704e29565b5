using System.Collections.Concurrent;
using System.Text.Json;
using Crucible.Client;
using Crucible.Judge;

namespace Crucible.Cli.Tests.ScaleOut;

/// <summary>
/// Three `crucible serve` replicas, each in its own network namespace (its own address, as on three hosts), and the
/// clients across them: CrucibleClient (an evaluation's judge requests and reward batches) and, at the same time,
/// the verl reward module in a child Python. Mid-run one replica is SIGKILLed and another drained with SIGTERM;
/// every submission and every reward item must still be answered exactly once with the right verdict.
/// </summary>
public sealed class ReplicaFailoverTests(ITestOutputHelper output)
{
    private const int Submissions = 24;
    private const int Batches = 4, ItemsPerBatch = 6;
    private const int VerlItems = 12, VerlBatch = 4;

    // A sum of two numbers, read from stdin. Every program sleeps a little so the run is still going when replicas die.
    private static readonly (string Kind, string Code, TestOutcome Verdict, double Score)[] Programs =
    [
        ("right", "import sys, time\ntime.sleep(0.15)\na, b = map(int, sys.stdin.read().split())\nprint(a + b)\n", TestOutcome.Passed, 1),
        ("wrong", "import sys, time\ntime.sleep(0.15)\na, b = map(int, sys.stdin.read().split())\nprint(a - b)\n", TestOutcome.WrongAnswer, 0),
        ("crash", "import time\ntime.sleep(0.15)\nraise SystemExit('boom: ' + str(1 / 0))\n", TestOutcome.RuntimeError, 0),
    ];

    private static readonly (string Input, string Output)[] Cases = [("1 2\n", "3\n"), ("10 -4\n", "6\n"), ("7 7\n", "14\n")];

    /// <summary>
    /// Generous CPU seconds per test (the wall-clock backstop follows from it): the test must hold on a machine so
    /// loaded that a 0.2 s program takes seconds, since what it checks is routing, not speed.
    /// </summary>
    private const double CpuSeconds = 10;

    private static Problem SumProblem(int i) => new()
    {
        Id = $"sum-{i}",
        Language = "python",
        Tests = Cases.Select(c => (TestCase)new StdioTest(c.Input, c.Output)).ToList(),
        Limits = new ProblemLimits { CpuTimePerTest = TimeSpan.FromSeconds(CpuSeconds) },
    };

    [Fact]
    public async Task EveryItemIsAnsweredOnceWithTheRightVerdictWhenOneReplicaIsKilledAndAnotherDrained()
    {
        var unsupported = HostNetwork.Unsupported();
        Assert.SkipWhen(unsupported is not null, unsupported ?? "");
        using var net = HostNetwork.Create(3);
        var replicas = new List<ReplicaProcess>();
        try
        {
            for (var i = 0; i < net.Count; i++)
                replicas.Add(ReplicaProcess.Start(net, i, "--drain-timeout", "4s", "--unready-delay", "1s"));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await Task.WhenAll(replicas.Select(r => r.WaitReadyAsync(TimeSpan.FromSeconds(60))));
            var readyAfter = clock.Elapsed;

            using var client = new CrucibleClient(new CrucibleClientOptions
            {
                Servers = replicas.Select(r => r.Url).ToList(),
                MaxAttempts = 5,
                RetryDelay = TimeSpan.FromMilliseconds(100),
                BreakDuration = TimeSpan.FromSeconds(2),
                AttemptTimeout = TimeSpan.FromSeconds(30),
            });
            var total = Submissions + Batches * ItemsPerBatch;
            var answered = 0;
            var evalAnswers = new ConcurrentDictionary<int, List<JudgeResult>>();
            var rewardAnswers = new ConcurrentDictionary<(int Batch, int Index), List<RewardResult>>();
            var gaveUp = new ConcurrentBag<string>();

            var evaluation = Parallel.ForEachAsync(Enumerable.Range(0, Submissions), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            {
                var submission = new Submission(SumProblem(i), "python", Programs[i % Programs.Length].Code);
                try
                {
                    var result = await client.JudgeAsync(submission, JudgeOptions.Default, ct);
                    evalAnswers.GetOrAdd(i, _ => []).Add(result);
                    if (result.IsInfrastructureError) gaveUp.Add($"submission {i}: {result.Message}");
                }
                catch (CrucibleServerException e)
                {
                    gaveUp.Add($"submission {i}: {e.Message}");
                }
                Interlocked.Increment(ref answered);
            });
            var rewards = Parallel.ForEachAsync(Enumerable.Range(0, Batches), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (b, ct) =>
            {
                var items = Enumerable.Range(0, ItemsPerBatch).Select(j => RewardItemOf(b * ItemsPerBatch + j)).ToList();
                try
                {
                    var response = await client.RewardsAsync(new RewardsRequest { Items = items, CpuTimeLimitSeconds = CpuSeconds }, ct);
                    foreach (var r in response.Results)
                    {
                        rewardAnswers.GetOrAdd((b, r.Index), _ => []).Add(r);
                        if (r.Status == RewardStatus.InfraError) gaveUp.Add($"batch {b} item {r.Index}: {r.Error}");
                    }
                }
                catch (CrucibleServerException e)
                {
                    gaveUp.Add($"batch {b}: {e.Message}");
                }
                Interlocked.Add(ref answered, ItemsPerBatch);
            });

            // The verl module scores its own batches over the same replicas meanwhile (when this machine has the Python).
            var verl = File.Exists(VerlRewardRun.Python)
                ? VerlRewardRun.ScoreAsync(replicas.Select(r => r.Url), Enumerable.Range(0, VerlItems).Select(n => RewardItemOf(n).SolutionStr!).ToList(),
                    RewardItemOf(0).GroundTruth!.Value.GetString()!, VerlBatch, CpuSeconds)
                : null;

            // Kill one replica a quarter of the way through, drain another at half way: both while work is in flight.
            await WaitUntilAsync(() => Volatile.Read(ref answered) >= total / 4);
            var atKill = Volatile.Read(ref answered);
            var verlRunningAtKill = verl is { IsCompleted: false };
            replicas[0].Kill();
            await WaitUntilAsync(() => Volatile.Read(ref answered) >= total / 2);
            var atTerm = Volatile.Read(ref answered);
            replicas[1].Terminate();
            var drained = replicas[1].WaitExitAsync(TimeSpan.FromSeconds(30));

            await Task.WhenAll(evaluation, rewards);
            double[]? verlScores = null;
            if (verl is not null)
            {
                try { verlScores = await verl; }
                catch (InvalidOperationException e) { gaveUp.Add("verl: " + e.Message); }
            }
            var runTook = clock.Elapsed - readyAfter;
            Assert.True(await drained, "the SIGTERMed replica did not exit within its drain deadline:\n" + replicas[1].Log);

            // Every item answered exactly once: no lost answers, no duplicates, no wrong verdicts.
            var lost = Enumerable.Range(0, Submissions).Count(i => !evalAnswers.ContainsKey(i))
                + Batches * ItemsPerBatch - rewardAnswers.Count;
            var duplicated = evalAnswers.Values.Count(v => v.Count > 1) + rewardAnswers.Values.Count(v => v.Count > 1);
            var wrong = evalAnswers.Count(kv => !kv.Value[0].IsInfrastructureError && kv.Value[0].Outcome != Programs[kv.Key % Programs.Length].Verdict)
                + rewardAnswers.Count(kv => kv.Value[0].Status == RewardStatus.Scored
                    && kv.Value[0].Score != Programs[(kv.Key.Batch * ItemsPerBatch + kv.Key.Index) % Programs.Length].Score)
                + rewardAnswers.Count(kv => kv.Value[0].Status == RewardStatus.Invalid)
                + (verlScores ?? []).Where((score, n) => score != Programs[n % Programs.Length].Score).Count();
            if (verlScores is not null) lost += VerlItems - verlScores.Length;
            output.WriteLine($"{total} items ({Submissions} submissions, {Batches}x{ItemsPerBatch} reward items) + {(verlScores is null ? "no verl run (no python3)" : $"{VerlItems} verl items{(verlRunningAtKill ? ", running at the SIGKILL" : ", done before the SIGKILL")}")}; SIGKILL after {atKill}, SIGTERM after {atTerm}; " +
                $"lost {lost}, duplicated {duplicated}, wrong {wrong}, client gave up on {gaveUp.Count}; replica 1 exit code {replicas[1].ExitCode}; " +
                $"replicas ready after {readyAfter.TotalSeconds:0.0} s, run {runTook.TotalSeconds:0.0} s");
            foreach (var g in gaveUp) output.WriteLine("gave up: " + g);
            foreach (var (i, v) in evalAnswers.Where(kv => !kv.Value[0].IsInfrastructureError && kv.Value[0].Outcome != Programs[kv.Key % Programs.Length].Verdict))
                output.WriteLine($"wrong: submission {i} ({Programs[i % Programs.Length].Kind}) got {v[0].Outcome}: {v[0].Message}");
            foreach (var (k, v) in rewardAnswers.Where(kv => kv.Value[0].Status != RewardStatus.InfraError
                && (kv.Value[0].Status == RewardStatus.Invalid || kv.Value[0].Score != Programs[(kv.Key.Batch * ItemsPerBatch + kv.Key.Index) % Programs.Length].Score)))
                output.WriteLine($"wrong: batch {k.Batch} item {k.Index} got {v[0].Status} {v[0].Outcome} {v[0].Score}: {v[0].Error}");
            Assert.True(atKill < total && atTerm < total, "the replicas must die while work is still in flight");
            Assert.Equal(0, lost);
            Assert.Equal(0, duplicated);
            Assert.Equal(0, wrong);
            // Infrastructure errors only where the client ran out of attempts, and then reported as such (never a score).
            Assert.All(gaveUp, g => Assert.Matches("after \\d+ attempt|not judged|interrupted|SandboxError|shut|CrucibleInfraError", g));
            Assert.Equal(0, replicas[1].ExitCode);
            Assert.False(replicas[2].Exited, "the third replica should still be serving");
        }
        finally
        {
            foreach (var r in replicas) await r.DisposeAsync();
        }
    }

    private static RewardItem RewardItemOf(int n)
    {
        var code = Programs[n % Programs.Length].Code;
        var truth = JsonSerializer.Serialize(new { inputs = Cases.Select(c => c.Input).ToArray(), outputs = Cases.Select(c => c.Output).ToArray() });
        return new RewardItem
        {
            DataSource = "scaleout-test",
            SolutionStr = $"Here is my answer:\n```python\n{code}```\n",
            GroundTruth = JsonSerializer.SerializeToElement(truth),
        };
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1200 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition(), "the run made no progress for 60 s");
    }
}
