using Crucible.Judge;

namespace Crucible.Bench.Tests;

public sealed class CostliestFirstTests
{
    [Fact]
    public async Task Work_is_handed_out_costliest_first_including_work_added_while_it_is_read()
    {
        var queue = new CostliestFirst<string>();
        queue.Add("cheap", 1);
        queue.Add("dear", 100);
        queue.Add("middling", 10);
        var read = new List<string>();
        await foreach (var item in queue.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            read.Add(item);
            // A problem's answers come in late: its costly work still goes before the cheap work already queued.
            if (item == "dear") queue.Add("late and dearer still", 50);
            if (read.Count == 4) queue.Complete();
        }
        Assert.Equal(["dear", "late and dearer still", "middling", "cheap"], read);
    }

    [Fact]
    public async Task A_reader_waits_for_work_and_stops_with_the_failure_that_ended_it()
    {
        var queue = new CostliestFirst<int>();
        var failure = new InvalidOperationException("the reference run failed");
        var reading = Task.Run(async () =>
        {
            var got = new List<int>();
            await foreach (var i in queue.ReadAllAsync(TestContext.Current.CancellationToken)) got.Add(i);
            return got;
        }, TestContext.Current.CancellationToken);
        queue.Add(7, 1);
        queue.Complete(failure);
        Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => reading));
        Assert.Throws<InvalidOperationException>(() => queue.Add(8, 1));
    }

    [Fact]
    public async Task Several_readers_all_end_when_the_work_is_complete()
    {
        var queue = new CostliestFirst<int>();
        for (var i = 0; i < 100; i++) queue.Add(i, i);
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var n = 0;
            await foreach (var _ in queue.ReadAllAsync(TestContext.Current.CancellationToken)) n++;
            return n;
        }, TestContext.Current.CancellationToken)).ToList();
        queue.Complete();
        var counts = await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(100, counts.Sum());
    }

    [Fact]
    public async Task The_evaluator_judges_the_submissions_with_the_largest_expected_outputs_first()
    {
        static Problem Calls(string id, int tests, int answerBytes) => new()
        {
            Id = id,
            Tests = Enumerable.Range(0, tests).Select(t => (TestCase)new FunctionCallTest("f", $"[{t}]", "\"" + new string('x', answerBytes) + "\"")).ToList(),
        };
        var ds = new Dataset
        {
            Name = "toy", Path = "/toy.jsonl", Sha256 = new string('a', 64), Format = DatasetFormat.Crucible,
            // Many small answers, few tests with large ones (HumanEval/130's kind), and few small ones.
            Problems = [Calls("many", 1000, 2), Calls("large", 10, 200_000), Calls("few", 10, 2)],
        };
        var samples = EvaluatorTests.Samples(ds, (p, s) => $"PASS {p}.{s}", 1);
        var judge = new FakeJudge();
        var order = new List<string>();
        judge.BeforeVerdict = s =>
        {
            lock (order) order.Add(s.Problem.Id);
            return Task.CompletedTask;
        };
        using var dir = new TempDirectory();
        using var store = ResultStore.Open(dir.File("results.db"));
        await new Evaluator(judge, store, new EvalOptions { Parallelism = 1 }).RunAsync(ds, samples, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["large", "many", "few"], order);
    }
}
