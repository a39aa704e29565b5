using System.Text.Json;
using Crucible.Bench;
using Crucible.Judge;
using Crucible.Sandbox;

namespace Crucible.Curation.Tests;

public sealed class PipelineTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private sealed class LosingStage : ICurationStage
    {
        public string Name => "lossy";

        public Task<StageOutcome> RunAsync(IReadOnlyList<CurationItem> items, CurationContext context, CancellationToken cancellationToken) =>
            Task.FromResult(new StageOutcome(items.Skip(1).ToList(), items.Skip(1).Select(i => new StageDecision(Name, i.Key, true, "kept")).ToList()));
    }

    private static string Examples([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "examples", "curate"));

    [Fact]
    public async Task A_stage_that_loses_a_problem_without_a_decision_stops_the_run()
    {
        var path = Path.Combine(Examples(), "deepcoder_sample.jsonl");
        using var store = CurationStore.Open(":memory:");
        var pipeline = new CurationPipeline([new NormalizeStage([path]), new LosingStage()]);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.RunAsync(_dir.Path, store, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("every problem must be kept or dropped", e.Message);
    }

    [Fact]
    public async Task Bundled_sample_goes_through_every_stage_with_the_expected_drops_in_the_real_sandbox()
    {
        var stateRoot = _dir.File("state");
        await using var pool = SandboxPool.Create(new SandboxOptions { StateRoot = stateRoot, MaxSessions = 16 });
        Assert.SkipUnless(pool.Languages.TryGet("python", out var python) && python.Available, "python toolchain absent");
        var judge = new SandboxSubmissionJudge(new Crucible.Judge.Judge(pool), JudgeOptions.Default with { StopAtFirstFailure = false, PreviewChars = 1 << 16 });
        var examples = Examples();
        var stages = new ICurationStage[]
        {
            new NormalizeStage([Path.Combine(examples, "taco_sample.jsonl"), Path.Combine(examples, "deepcoder_sample.jsonl")]),
            new FilterStage(),
            new DeduplicateStage(),
            new DecontaminateStage(new DecontaminateOptions { EvalSets = [Path.Combine(examples, "eval_set.jsonl")] }),
            new VerifyStage(judge, new VerifyOptions { Runs = 2, Parallelism = 2, MinTests = 5 }),
            new SelectTestsStage(TestSelection.Parse("longest:5")),
        };
        var outDir = _dir.File("out");
        using var store = CurationStore.Open(Path.Combine(_dir.Path, "curation.db"));

        var run = await new CurationPipeline(stages).RunAsync(outDir, store, cancellationToken: TestContext.Current.CancellationToken);
        var report = await CurationOutputs.WriteAsync(run, cancellationToken: TestContext.Current.CancellationToken);

        string Reason(string key) => run.Decisions.Last(d => d.Key == key).Reason;
        Assert.Equal(["taco_sample:taco-2", "taco_sample:taco-6", "taco_sample:taco-9", "deepcoder_sample:dc-1", "deepcoder_sample:dc-2", "deepcoder_sample:dc-3"], run.Final.Select(i => i.Key));
        Assert.Equal("too few tests", Reason("taco_sample:taco-3"));
        Assert.Equal("reference does not compile", Reason("taco_sample:taco-4"));
        Assert.Equal("near-duplicate", Reason("taco_sample:taco-1"));
        Assert.Equal("near-duplicate", Reason("taco_sample:taco-7")); // an exact copy of taco-1, whose group keeps dc-1 (more tests)
        Assert.Equal("contaminated (statement)", Reason("taco_sample:taco-8"));
        Assert.Contains(run.Decisions, d => d.Reason == "malformed row");
        Assert.Contains(run.Decisions, d => d.Reason == "no tests" && d.Detail!.Contains("taco-5"));
        Assert.Equal("verified, tests dropped", run.Decisions.Single(d => d.Key == "taco_sample:taco-2" && d.Stage == "verify").Reason);
        Assert.Contains("the reference fails it (RuntimeError)", run.Decisions.Single(d => d.Key == "taco_sample:taco-9" && d.Stage == "verify").Detail);
        Assert.All(run.Final, i => Assert.True(i.Problem.Tests.Count == 5));
        Assert.Equal(6, report.Outputs["train.parquet"]);
        Assert.Equal(13, run.Funnel[0].In);
        foreach (var folder in new[] { "01-normalize", "02-filter", "03-deduplicate", "04-decontaminate", "05-verify", "06-select-tests" })
            Assert.True(File.Exists(Path.Combine(outDir, folder, "decisions.jsonl")), folder);
        var provenance = (await File.ReadAllLinesAsync(Path.Combine(outDir, "provenance.jsonl"), TestContext.Current.CancellationToken)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(13, provenance.Count); // every input row, kept or dropped
        var back = await DatasetLoader.LoadAsync(Path.Combine(outDir, "problems.jsonl"), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(6, back.Problems.Count);
        Assert.All(back.Problems, p => Assert.NotNull(p.Limits.CpuTimePerTest));
    }
}
