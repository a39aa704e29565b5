using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Crucible.Judge;

namespace Crucible.Bench;

/// <summary>
/// Writes <c>eval_results.json</c> in EvalPlus's layout, so tools that read EvalPlus results read ours:
/// <c>{date, hash, eval: {task_id: [{task_id, solution, base_status, plus_status, base_fail_tests, plus_fail_tests}]},
/// pass_at_k: {base: {"pass@k": v}, plus: {...}}}</c>. Statuses are "pass", "fail" or "timeout", per split as EvalPlus
/// means them (<see cref="EvalPlusSplits"/>: plus_status covers the plus inputs only, and a sample failing base still
/// has its plus verdict and plus_fail_tests); failing tests are listed by their inputs as the dataset file has them
/// (all of them with details, otherwise the first, as EvalPlus does). Statuses and scores are the run's grader's.
/// <c>hash</c> is the MD5 of the
/// uncompressed dataset, as EvalPlus computes it. For datasets without EvalPlus's base/plus split every test counts
/// as base and plus_status is null. Infrastructure errors are left out (EvalPlus has no such status and would score
/// them as failures); their count is in <c>crucible_infrastructure_errors</c>, and the reproducibility manifest is in
/// <c>crucible_manifest</c> (extra keys EvalPlus's readers ignore).
/// </summary>
public static class EvalPlusResults
{
    public static void Write(string path, EvalRun run, EvalSummary summary, ReproducibilityManifest manifest, bool details)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var split = run.Dataset.Format == DatasetFormat.EvalPlus;
        w.WriteStartObject();
        w.WriteString("date", DateTime.Now.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        w.WriteString("hash", DatasetMd5(run.Dataset.Path));
        w.WriteStartObject("eval");
        foreach (var group in run.Outcomes.Where(o => o.Result.IsScored).GroupBy(o => o.Sample.ProblemId))
        {
            var problem = run.Dataset.Find(group.Key)!;
            w.WriteStartArray(group.Key);
            foreach (var o in group.OrderBy(o => o.Sample.Index))
            {
                var r = o.Result;
                w.WriteStartObject();
                w.WriteString("task_id", group.Key);
                w.WriteString("solution", o.Sample.Code);
                if (split)
                {
                    var baseStatus = EvalPlusSplits.Status(problem, r, EvalPlusFormat.BaseGroup, run.Grader);
                    var plusStatus = EvalPlusSplits.Status(problem, r, EvalPlusFormat.PlusGroup, run.Grader);
                    w.WriteString("base_status", baseStatus);
                    w.WriteString("plus_status", plusStatus);
                    WriteFailures(w, "base_fail_tests", problem, r, details, run.Grader, EvalPlusFormat.IsBase, baseStatus == EvalPlusSplits.Pass);
                    WriteFailures(w, "plus_fail_tests", problem, r, details, run.Grader, EvalPlusFormat.IsPlus, plusStatus == EvalPlusSplits.Pass);
                }
                else
                {
                    w.WriteString("base_status", r.Passed ? "pass" : Status(r));
                    w.WriteNull("plus_status");
                    WriteFailures(w, "base_fail_tests", problem, r, details, run.Grader, _ => true, r.Passed);
                    w.WriteStartArray("plus_fail_tests");
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteStartObject("pass_at_k");
        WriteScores(w, "base", split ? summary.EvalPlusScores!["base"] : summary.PassAtK);
        if (split) WriteScores(w, "plus", summary.EvalPlusScores!["plus"]);
        w.WriteEndObject();
        w.WriteNumber("crucible_infrastructure_errors", summary.InfrastructureErrors);
        w.WriteNumber("crucible_unjudgeable_samples", summary.UnjudgeableSamples);
        w.WriteString("crucible_grader", run.Grader == Grader.EvalPlus ? "evalplus" : "strict");
        w.WriteStartArray("crucible_dataset_issues");
        foreach (var issue in run.Dataset.Issues) w.WriteStringValue(issue.ToString());
        w.WriteEndArray();
        w.WritePropertyName("crucible_manifest");
        JsonReport.WriteManifest(w, manifest);
        w.WriteEndObject();
    }

    private static string Status(SampleResult r) => r.FirstFailedTest is { } i && r.EndedItsProcess(i) ? EvalPlusSplits.Timeout : EvalPlusSplits.Fail;

    private static void WriteScores(Utf8JsonWriter w, string name, IReadOnlyDictionary<int, double> scores)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in scores) w.WriteNumber($"pass@{k}", v);
        w.WriteEndObject();
    }

    /// <summary>
    /// The split's failing inputs as EvalPlus lists them (evaluate.py, get_failed_tests), from the inputs its evaluation
    /// process reported in order: none when the split passed or no input was reported (the solution did not load, or
    /// the process ended in the first input); with details, each reported input that failed; otherwise the last one
    /// reported, which is the first failure, or, when the process ended in an input, the input before it.
    /// </summary>
    private static void WriteFailures(Utf8JsonWriter w, string name, Problem problem, SampleResult r, bool all, Grader grader, Func<TestCase, bool> inSplit, bool passed)
    {
        var reported = new List<int>();
        for (var i = 0; i < problem.Tests.Count && !passed; i++)
        {
            if (!inSplit(problem.Tests[i])) continue;
            if (!r.Reported(i)) break;
            var failed = r.OutcomeOf(i, grader) != TestOutcome.Passed;
            if (!all || failed) reported.Add(i);
            if (!all && failed) break;
        }
        w.WriteStartArray(name);
        foreach (var i in all ? reported : reported.TakeLast(1))
        {
            var test = problem.Tests[i];
            switch (test)
            {
                case FunctionCallTest f:
                    MbppPlusFailedInputs.Write(w, problem.Id, f.ArgumentsJson);
                    break;
                case StdioTest s:
                    w.WriteStringValue(s.Input);
                    break;
                case CheckerTest c:
                    w.WriteStringValue(c.Input);
                    break;
                default:
                    w.WriteStringValue(test.Name ?? $"test {i}");
                    break;
            }
        }
        w.WriteEndArray();
    }

    private static string DatasetMd5(string path)
    {
        var head = new byte[2];
        using (var probe = File.OpenRead(path)) probe.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        using var file = File.OpenRead(path);
        using Stream content = RecordFile.IsGzip(head) ? new GZipStream(file, CompressionMode.Decompress) : file;
        return Convert.ToHexStringLower(MD5.HashData(content));
    }
}
