using System.Text.Json;
using Crucible.Judge;

namespace Crucible.Bench.Tests;

/// <summary>Runs a small EvalPlus-format dataset of our own end to end: oracle, judge, both graders, reports.</summary>
internal sealed class EvalPlusHarness(SandboxFixture sandbox, TempDirectory dir)
{
    public static string Task(string id, string prompt, string entry, string canonical, object[] baseInputs, object plusInputs, double atol = 0) =>
        JsonSerializer.Serialize(new { task_id = id, prompt, entry_point = entry, canonical_solution = canonical, atol, base_input = baseInputs, plus_input = plusInputs });

    public static string Solution(string id, string solution) => JsonSerializer.Serialize(new { task_id = id, solution });

    public async Task<(Dataset Data, EvalRun Run, EvalSummary Summary)> RunAsync(string datasetJsonl, IEnumerable<string> samples, Grader grader = Grader.Strict,
        bool details = false, string name = "MiniPlus.jsonl", string? oracleCache = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var path = dir.Write(name, datasetJsonl);
        var samplesPath = dir.Write("samples-" + Guid.NewGuid().ToString("N")[..6] + ".jsonl", string.Join("\n", samples));
        var data = await DatasetLoader.LoadAsync(path, cancellationToken: ct);
        using var store = ResultStore.Open(dir.File(Guid.NewGuid().ToString("N")[..6] + ".db"));
        // As crucible eval runs it: the samples of each problem judged as soon as its expected outputs are in.
        var set = await SampleLoader.LoadAsync(samplesPath, data, ct);
        var expected = new ReferenceOracle(sandbox.Pool, store, oracleCache).Start(data, cancellationToken: ct);
        var judge = new SandboxSubmissionJudge(new Crucible.Judge.Judge(sandbox.Pool), JudgeOptions.Default with { StopAtFirstFailure = !details });
        var run = await new Evaluator(judge, store, new EvalOptions { Parallelism = 2, Grader = grader }).RunAsync(expected, set, cancellationToken: ct);
        return (run.Dataset, run, EvalSummary.Compute(run, [1]));
    }


    /// <summary>(base_status, plus_status) of the n-th sample in file order.</summary>
    public static (string Base, string Plus) Statuses(EvalRun run, int n, Grader? grader = null)
    {
        var o = run.Outcomes[n];
        var p = run.Dataset.Find(o.Sample.ProblemId)!;
        return (EvalPlusSplits.Status(p, o.Result, EvalPlusFormat.BaseGroup, grader ?? run.Grader), EvalPlusSplits.Status(p, o.Result, EvalPlusFormat.PlusGroup, grader ?? run.Grader));
    }
}
