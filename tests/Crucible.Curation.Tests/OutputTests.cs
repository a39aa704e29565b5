using Crucible.Bench;
using Crucible.Judge;

namespace Crucible.Curation.Tests;

public sealed class OutputTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static List<CurationItem> Curated() =>
    [
        Problems.Item(new Problem
        {
            Id = "stdio-1", Statement = "Print the sum of a and b.", Tests = [new StdioTest("1 2\n", "3\n"), new StdioTest("4 5\n", "9\n")],
            References = [new ReferenceSolution("python", "print(sum(map(int, input().split())))")],
            Metadata = new ProblemMetadata { Source = "taco" },
        }, "taco").Annotate("pass_rate", "0.5").Annotate("reference_cpu_ms", "12.5"),
        Problems.Item(new Problem
        {
            Id = "call-1", Statement = "Implement add(a, b).", EntryPoint = "add",
            Tests = [new FunctionCallTest("add", "[1,2]", "3"), new FunctionCallTest("add", "[[1],[2]]", "[1,2]")],
            Metadata = new ProblemMetadata { Source = "lcb" },
        }, "lcb"),
        Problems.Item(new Problem
        {
            Id = "checker-1", Statement = "Any valid answer.", Tests = [new CheckerTest("1\n", "1\n", "import sys", "python")],
        }, "cf"),
    ];

    [Fact]
    public async Task Written_verl_parquet_reads_back_in_the_verl_loader_with_the_same_tests()
    {
        var path = _dir.File("train.parquet");

        var skipped = await VerlParquetWriter.WriteAsync(path, Curated(), cancellationToken: TestContext.Current.CancellationToken);
        var back = await DatasetLoader.LoadAsync(path, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("cf:checker-1", Assert.Single(skipped).Key);
        Assert.Equal(DatasetFormat.Verl, back.Format);
        Assert.Equal(["taco/stdio-1", "lcb/call-1"], back.Problems.Select(p => p.Id)); // extra_info.problem_id
        var stdio = back.Problems[0];
        Assert.Equal("Print the sum of a and b.", stdio.Statement);
        Assert.Equal([("1 2\n", "3\n"), ("4 5\n", "9\n")], stdio.Tests.Cast<StdioTest>().Select(t => (t.Input, t.ExpectedOutput)));
        Assert.Equal("code", stdio.Metadata.Extra["ability"]);
        var calls = back.Problems[1].Tests.Cast<FunctionCallTest>().ToList();
        Assert.Equal(["[1,2]", "[[1],[2]]"], calls.Select(c => c.ArgumentsJson));
        Assert.All(calls, c => Assert.True(c.ExpectedIsWrapped));
        Assert.Equal(["[3]", "[[1,2]]"], calls.Select(c => c.ExpectedJson)); // TACO's wrapped outputs
    }

    [Fact]
    public async Task Written_deepcoder_json_and_crucible_jsonl_read_back_as_the_same_problems()
    {
        var json = _dir.File("deepcoder.json");
        var jsonl = _dir.File("problems.jsonl");
        var skipped = await DeepCoderJsonWriter.WriteAsync(json, Curated(), TestContext.Current.CancellationToken);
        await CrucibleJsonlWriter.WriteAsync(jsonl, Curated(), TestContext.Current.CancellationToken);

        var deepcoder = await DatasetLoader.LoadAsync(json, cancellationToken: TestContext.Current.CancellationToken);
        var crucible = await DatasetLoader.LoadAsync(jsonl, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Single(skipped);
        Assert.Equal(DatasetFormat.DeepCoder, deepcoder.Format);
        Assert.Equal(["taco:stdio-1", "lcb:call-1"], deepcoder.Problems.Select(p => p.Id));
        var dcCalls = deepcoder.Problems[1].Tests.Cast<FunctionCallTest>().ToList();
        Assert.Equal([("[1,2]", "3"), ("[[1],[2]]", "[1,2]")], dcCalls.Select(c => (c.ArgumentsJson, c.ExpectedJson)));
        Assert.Equal(DatasetFormat.Crucible, crucible.Format);
        Assert.Equal(3, crucible.Problems.Count); // Crucible jsonl holds every test kind, checkers included
        Assert.IsType<CheckerTest>(crucible.Problems[2].Tests[0]);
        Assert.Equal("print(sum(map(int, input().split())))", crucible.Problems[0].References[0].Code);
    }

    [Fact]
    public async Task A_run_that_keeps_nothing_still_writes_every_output()
    {
        var run = new CurationRun { Funnel = [], Decisions = [], Final = [], Normalized = [], OutputDirectory = _dir.Path };

        var report = await CurationOutputs.WriteAsync(run, cancellationToken: TestContext.Current.CancellationToken);

        Assert.All(report.Outputs.Values, n => Assert.Equal(0, n));
        foreach (var file in new[] { "train.parquet", "deepcoder.json", "problems.jsonl", "report.html", "report.json" })
            Assert.True(File.Exists(_dir.File(file)), file);
    }
}
