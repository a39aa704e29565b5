using System.Text.Json;
using Crucible.Judge;

namespace Crucible.Bench.Tests;

[Collection("sandbox")]
public sealed class ReferenceOracleTests(SandboxFixture sandbox) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Expected_outputs_come_from_the_canonical_solution_run_in_the_sandbox_and_are_cached()
    {
        sandbox.RequireLanguage("python");
        var path = _dir.Write("HumanEvalPlus.jsonl", string.Join("\n",
            JsonSerializer.Serialize(new
            {
                task_id = "HumanEval/90", prompt = "def stats(xs):\n", entry_point = "stats",
                canonical_solution = "    print('noise on stdout')\n    return (min(xs), sum(xs) / len(xs))\n",
                atol = 0, base_input = new[] { new object[] { new[] { 1, 2, 3 } } }, plus_input = new[] { new object[] { Array.Empty<int>() }, new object[] { new[] { 5 } } },
            }),
            JsonSerializer.Serialize(new
            {
                task_id = "HumanEval/91", prompt = "def boom(x):\n", entry_point = "boom", canonical_solution = "    raise ValueError('no')\n",
                atol = 0, base_input = new[] { new object[] { 1 } }, plus_input = Array.Empty<object>(),
            })));
        var ds = await DatasetLoader.LoadAsync(path, cancellationToken: TestContext.Current.CancellationToken);
        using var store = ResultStore.Open(_dir.File("r.db"));

        var done = await new ReferenceOracle(sandbox.Pool, store).CompleteAsync(ds, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Empty(done.PendingOracles);
        var stats = done.Find("HumanEval/90")!;
        Assert.Equal(["base_input[0]", "plus_input[1]"], stats.Tests.Select(t => t.Name)); // min([]) raises in the reference: dropped
        var first = Assert.IsType<FunctionCallTest>(stats.Tests[0]);
        Assert.Equal(("stats", "[[1,2,3]]"), (first.FunctionName, first.ArgumentsJson));
        using (var expected = JsonDocument.Parse(first.ExpectedJson)) // the judge's typed notation keeps the tuple a tuple
            Assert.Equal(["1", "2.0"], expected.RootElement.GetProperty("$tuple").EnumerateArray().Select(e => e.GetRawText()));
        Assert.Equal(TimeSpan.FromSeconds(4), first.CpuTimeLimit); // EvalPlus: max(4 s, 4 × the reference's time)
        Assert.Contains(done.Issues, i => i.ProblemId == "HumanEval/90" && i.Input == "plus_input[0]" && i.Message.Contains("ValueError"));
        Assert.Empty(done.Find("HumanEval/91")!.Tests);
        Assert.Contains(done.Issues, i => i.ProblemId == "HumanEval/91" && i.Input == "base_input[0]" && i.Message.Contains("ValueError"));
        Assert.Contains(done.Issues, i => i.ProblemId == "HumanEval/91" && i.Input is null && i.Message.Contains("no usable tests"));

        var runs = sandbox.Pool.RunsCompleted;
        var again = await new ReferenceOracle(sandbox.Pool, store).CompleteAsync(ds, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(runs, sandbox.Pool.RunsCompleted); // answered from the store
        Assert.Equal(stats.Tests, again.Find("HumanEval/90")!.Tests);
    }

    [Fact]
    public async Task A_reference_that_dies_on_one_input_loses_only_that_inputs_answer()
    {
        sandbox.RequireLanguage("python");
        // The driver writes its answers in bursts: the death takes unsent answers of good inputs with it, and those
        // must come back from a rerun rather than be blamed.
        var plus = Enumerable.Range(0, 300).Select(i => new object[] { i }).ToArray();
        var path = _dir.Write("HumanEvalPlus.jsonl", JsonSerializer.Serialize(new
        {
            task_id = "HumanEval/92", prompt = "def sq(x):\n", entry_point = "sq",
            canonical_solution = "    if x == 250:\n        import os\n        os._exit(3)\n    return x * x\n",
            atol = 0, base_input = new[] { new object[] { 7 } }, plus_input = plus,
        }));
        var ds = await DatasetLoader.LoadAsync(path, cancellationToken: TestContext.Current.CancellationToken);
        using var store = ResultStore.Open(_dir.File("r.db"));

        var runs = sandbox.Pool.RunsCompleted;
        var done = await new ReferenceOracle(sandbox.Pool, store).CompleteAsync(ds, cancellationToken: TestContext.Current.CancellationToken);

        // All inputs, the rest again writing each answer, the culprit alone, the inputs after it: not one run per lost answer.
        Assert.InRange(sandbox.Pool.RunsCompleted - runs, 3, 5);
        var tests = done.Find("HumanEval/92")!.Tests.Cast<FunctionCallTest>().ToList();
        Assert.Equal(300, tests.Count);
        Assert.DoesNotContain(tests, t => t.Name == "plus_input[250]");
        Assert.Equal("62001", tests.Single(t => t.Name == "plus_input[249]").ExpectedJson);
        Assert.Equal("63001", tests.Single(t => t.Name == "plus_input[251]").ExpectedJson);
        var issue = Assert.Single(done.Issues);
        Assert.Equal(("HumanEval/92", "plus_input[250]"), (issue.ProblemId, issue.Input));
    }

    [Fact]
    public async Task EvalPlus_dataset_end_to_end_scores_base_and_plus_with_strict_tuples()
    {
        sandbox.RequireLanguage("python");
        var path = _dir.WriteGzip("MiniPlus.jsonl.gz", JsonSerializer.Serialize(new
        {
            task_id = "HumanEval/500", prompt = "def span(xs):\n    \"\"\"(smallest, largest) of a non-empty list.\"\"\"\n", entry_point = "span",
            canonical_solution = "    return (min(xs), max(xs))\n", atol = 0,
            base_input = new[] { new object[] { new[] { 3, 1, 2 } }, new object[] { new[] { 7 } } },
            plus_input = new[] { new object[] { new[] { -5, 2, 4 } }, new object[] { new[] { 0, -1 } } },
        }));
        var samplesPath = _dir.Write("samples.jsonl", string.Join("\n",
            JsonSerializer.Serialize(new { task_id = "HumanEval/500", completion = "    return (min(xs), max(xs))\n" }),
            JsonSerializer.Serialize(new { task_id = "HumanEval/500", completion = "    return (min(xs, key=abs), max(xs, key=abs))\n" }), // right on base only
            JsonSerializer.Serialize(new { task_id = "HumanEval/500", completion = "    return [min(xs), max(xs)]\n" })));          // a list is not a tuple
        var ds = await DatasetLoader.LoadAsync(path, cancellationToken: TestContext.Current.CancellationToken);
        using var store = ResultStore.Open(_dir.File("r.db"));
        ds = await new ReferenceOracle(sandbox.Pool, store).CompleteAsync(ds, cancellationToken: TestContext.Current.CancellationToken);
        var samples = await SampleLoader.LoadAsync(samplesPath, ds, TestContext.Current.CancellationToken);
        var judge = new SandboxSubmissionJudge(new Crucible.Judge.Judge(sandbox.Pool), JudgeOptions.Default);
        var run = await new Evaluator(judge, store).RunAsync(ds, samples, cancellationToken: TestContext.Current.CancellationToken);
        var summary = EvalSummary.Compute(run, [1]);

        Assert.Equal([TestOutcome.Passed, TestOutcome.WrongAnswer, TestOutcome.WrongAnswer], run.Outcomes.Select(o => o.Result.Outcome));
        Assert.Equal("PPWW", run.Outcomes[1].Result.TestOutcomes); // abs-ordering is wrong on both negative plus inputs
        Assert.Equal(2 / 3.0, summary.EvalPlusScores!["base"][1], 12);
        Assert.Equal(1 / 3.0, summary.EvalPlusScores["plus"][1], 12);
    }

    [Theory]
    [InlineData("1.5", true)]
    [InlineData("1e5", true)]
    [InlineData("-3", false)]
    [InlineData("[]", false)]
    [InlineData("[1.0,2.5]", true)]
    [InlineData("[ 1.5 , -2E3 ]", true)]
    [InlineData("[1.5,2]", false)]
    [InlineData("[2,1.5]", false)]
    [InlineData("{\"$tuple\":[1.0,2.0]}", true)]
    [InlineData("{\"$tuple\":[1,2.0]}", false)]
    [InlineData("[{\"$float\":\"nan\"},0.5]", true)]
    [InlineData("{\"$float\":\"inf\"}", true)]
    [InlineData("[[1.0]]", false)]
    [InlineData("[\"1.5\"]", false)]
    [InlineData("\"1.5\"", false)]
    [InlineData("{\"$set\":[1.5]}", false)]
    public void Float_expectations_are_told_as_EvalPlus_is_floats_tells_them(string json, bool floats) =>
        Assert.Equal(floats, ReferenceOracle.IsFloats(json));

    [Fact]
    public void The_driver_names_NumPy_only_for_a_reference_that_does()
    {
        // The sandbox serves programs that name NumPy from zygotes that preloaded it, whose forks cost more.
        Assert.DoesNotContain("numpy", ReferenceDriver.Source, StringComparison.Ordinal);
        Assert.Equal(ReferenceDriver.Source, ReferenceDriver.ProgramFor("    return sorted(xs)\n"));
        Assert.Contains("numpy", ReferenceDriver.ProgramFor("    import numpy as np\n    return np.sum(xs)\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_inputs_time_does_not_count_to_the_next_inputs_limit_and_long_answers_from_the_store_are_in_memory()
    {
        sandbox.RequireLanguage("python");
        // Input 0 spends over a second of CPU and raises: the next input's time starts after it, so its limit stays
        // EvalPlus's 4 s floor. Input 2's answer is long (deferred while computed), yet kept in memory without a cache directory.
        var path = _dir.Write("HumanEvalPlus.jsonl", JsonSerializer.Serialize(new
        {
            task_id = "HumanEval/93", prompt = "def f(x):\n", entry_point = "f",
            canonical_solution = "    import time\n    if x == 0:\n        t = time.process_time()\n        while time.process_time() - t < 1.1:\n            pass\n" +
                                 "        raise ValueError('slow and wrong')\n    return list(range(20000)) if x == 2 else x\n",
            atol = 0, base_input = new[] { new object[] { 0 }, new object[] { 1 }, new object[] { 2 } }, plus_input = Array.Empty<object>(),
        }));
        var ds = await DatasetLoader.LoadAsync(path, cancellationToken: TestContext.Current.CancellationToken);
        using var store = ResultStore.Open(_dir.File("r.db"));

        var done = await new ReferenceOracle(sandbox.Pool, store).CompleteAsync(ds, cancellationToken: TestContext.Current.CancellationToken);

        var tests = done.Find("HumanEval/93")!.Tests.Cast<FunctionCallTest>().ToList();
        Assert.Equal(["base_input[1]", "base_input[2]"], tests.Select(t => t.Name));
        Assert.Equal(TimeSpan.FromSeconds(4), tests[0].CpuTimeLimit);
        Assert.False(tests[1].ExpectedIsDeferred);
        Assert.Equal("[" + string.Join(",", Enumerable.Range(0, 20000)) + "]", tests[1].ExpectedJson);
        Assert.Contains(done.Issues, i => i.Input == "base_input[0]" && i.Message.Contains("slow and wrong"));
    }
}
