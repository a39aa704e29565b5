using Crucible.Judge;

namespace Crucible.Bench.Tests;

/// <summary>
/// Judging while expected outputs are still being computed (<see cref="ExpectedOutputs"/>): a problem's samples start
/// when its own answers are in, never before, and a reference run that fails ends the evaluation with its error.
/// </summary>
public sealed class StreamingEvaluationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (ExpectedOutputs Outputs, Dictionary<string, TaskCompletionSource<Problem>> Pending, TaskCompletionSource<Dataset> Completed) Streaming(Dataset loaded, params string[] pendingIds)
    {
        var pending = pendingIds.ToDictionary(id => id, _ => new TaskCompletionSource<Problem>(TaskCreationOptions.RunContinuationsAsynchronously));
        var completed = new TaskCompletionSource<Dataset>(TaskCreationOptions.RunContinuationsAsynchronously);
        return (new ExpectedOutputs(loaded, pending.ToDictionary(kv => kv.Key, kv => kv.Value.Task), completed.Task), pending, completed);
    }

    /// <summary>The loaded problem without tests, as a dataset holds it before its expected outputs exist.</summary>
    private static Dataset WithoutTests(Dataset ds, string id) => new()
    {
        Name = ds.Name, Path = ds.Path, Sha256 = ds.Sha256, Format = ds.Format,
        Problems = ds.Problems.Select(p => p.Id == id ? p with { Tests = [] } : p).ToList(),
    };

    [Fact]
    public async Task A_problems_samples_are_judged_as_soon_as_its_expected_outputs_are_in_and_not_before()
    {
        var complete = EvaluatorTests.Dataset(3, 4);
        var loaded = WithoutTests(WithoutTests(complete, "P1"), "P2");
        var samples = EvaluatorTests.Samples(loaded, (p, s) => s == 0 ? $"PASS {p}" : $"WRONG {p}.{s}", 2);
        var (outputs, pending, completed) = Streaming(loaded, "P1", "P2");
        var judge = new FakeJudge();
        var judgedP0 = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var judgedP1 = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new System.Collections.Concurrent.ConcurrentBag<string>();
        judge.BeforeVerdict = s =>
        {
            // Only a problem whose answers are in may be judged, and with the tests the answers made.
            Assert.Equal(4, s.Problem.Tests.Count);
            seen.Add(s.Problem.Id);
            if (seen.Count(id => id == "P0") == 2) judgedP0.TrySetResult();
            if (seen.Count(id => id == "P1") == 2) judgedP1.TrySetResult();
            return Task.CompletedTask;
        };
        using var store = ResultStore.Open(_dir.File("results.db"));
        var running = new Evaluator(judge, store, new EvalOptions { Parallelism = 2 }).RunAsync(outputs, samples, cancellationToken: TestContext.Current.CancellationToken);

        // P0 needed no reference run: judged while P1 and P2 still wait.
        await judgedP0.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.DoesNotContain("P1", seen);
        Assert.DoesNotContain("P2", seen);
        Assert.False(running.IsCompleted);

        pending["P1"].SetResult(complete.Problems[1]);
        await judgedP1.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.DoesNotContain("P2", seen);

        pending["P2"].SetResult(complete.Problems[2]);
        completed.SetResult(complete);
        var run = await running;

        Assert.Same(complete, run.Dataset);
        Assert.Equal(6, run.Judged);
        Assert.Equal(samples.Samples, run.Outcomes.Select(o => o.Sample));
        Assert.Equal([true, false, true, false, true, false], run.Outcomes.Select(o => o.Result.Passed));
        Assert.All(run.Outcomes, o => Assert.Equal(o.Sample.ProblemId, o.Result.ProblemId));
    }

    [Fact]
    public async Task Samples_already_judged_are_reused_when_their_problems_answers_arrive_and_identical_ones_judged_once()
    {
        var complete = EvaluatorTests.Dataset(2, 3);
        var loaded = WithoutTests(complete, "P1");
        var samples = EvaluatorTests.Samples(loaded, (p, s) => $"PASS {p}", 3); // three identical samples per problem
        using var store = ResultStore.Open(_dir.File("results.db"));
        await new Evaluator(new FakeJudge(), store).RunAsync(complete, samples, cancellationToken: TestContext.Current.CancellationToken);

        var (outputs, pending, completed) = Streaming(loaded, "P1");
        var judge = new FakeJudge();
        var progress = new List<EvalProgress>();
        var running = new Evaluator(judge, store).RunAsync(outputs, samples, new SyncProgress(progress.Add), TestContext.Current.CancellationToken);
        pending["P1"].SetResult(complete.Problems[1]);
        completed.SetResult(complete);
        var run = await running;

        Assert.Empty(judge.Judged);
        Assert.Equal(2, run.Reused);
        Assert.All(run.Outcomes, o => Assert.True(o.Reused && o.Result.Passed));
        // The total is known before any answer is in: one distinct submission per problem.
        Assert.All(progress, p => Assert.Equal(2, p.Total));
        Assert.Equal(2, progress[^1].Completed);
    }

    [Fact]
    public async Task A_reference_run_that_fails_ends_the_evaluation_with_its_error_and_nothing_of_that_problem_is_judged()
    {
        var complete = EvaluatorTests.Dataset(2, 2);
        var loaded = WithoutTests(complete, "P1");
        var samples = EvaluatorTests.Samples(loaded, (p, s) => $"PASS {p}.{s}", 2);
        var (outputs, pending, completed) = Streaming(loaded, "P1");
        var judge = new FakeJudge();
        using var store = ResultStore.Open(_dir.File("results.db"));
        var running = new Evaluator(judge, store).RunAsync(outputs, samples, cancellationToken: TestContext.Current.CancellationToken);
        var failure = new InvalidOperationException("the sandbox could not start the reference");
        pending["P1"].SetException(failure);
        completed.SetException(failure);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => running);
        Assert.Same(failure, thrown);
        Assert.DoesNotContain(judge.Judged, j => j.StartsWith("P1|", StringComparison.Ordinal));
        // What was judged is stored, so a rerun resumes from there.
        Assert.Equal(judge.Judged.Count, store.Count());
    }

    [Fact]
    public async Task A_dataset_that_still_needs_expected_outputs_is_refused_as_a_finished_one()
    {
        var ds = EvaluatorTests.Dataset(1, 1);
        var pendingDataset = new Dataset
        {
            Name = ds.Name, Path = ds.Path, Sha256 = ds.Sha256, Format = ds.Format, Problems = ds.Problems,
            PendingOracles = [new OracleRequest("P0", "def f(): pass", "f", [])],
        };
        using var store = ResultStore.Open(_dir.File("results.db"));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new Evaluator(new FakeJudge(), store).RunAsync(pendingDataset, EvaluatorTests.Samples(ds, (_, _) => "PASS", 1), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("ReferenceOracle.Start", e.Message);
        Assert.Throws<InvalidOperationException>(() => ExpectedOutputs.Complete(pendingDataset));
    }

    private sealed class SyncProgress(Action<EvalProgress> report) : IProgress<EvalProgress>
    {
        public void Report(EvalProgress value)
        {
            lock (this) report(value);
        }
    }
}
