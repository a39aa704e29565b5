using Crucible.Judge;

namespace Crucible.Bench.Tests;

public sealed class JudgingOrderTests
{
    [Fact]
    public async Task Submissions_of_the_problems_with_the_most_tests_are_judged_first()
    {
        static Problem Calls(string id, int tests, int answerBytes) => new()
        {
            Id = id,
            Tests = Enumerable.Range(0, tests).Select(t => (TestCase)new FunctionCallTest("f", $"[{t}]", "\"" + new string('x', answerBytes) + "\"")).ToList(),
        };
        var ds = new Dataset
        {
            Name = "toy", Path = "/toy.jsonl", Sha256 = new string('a', 64), Format = DatasetFormat.Crucible,
            // In file order: few small answers, a few more large ones (HumanEval/130's kind), many tests: the longest goes first.
            Problems = [Calls("few", 10, 2), Calls("large", 20, 200_000), Calls("many", 1000, 2)],
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
        await new Evaluator(judge, store, new EvalOptions { Parallelism = 1, ExtraLightSubmissions = 0 }).RunAsync(ds, samples, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["many", "large", "few"], order);
    }
}
