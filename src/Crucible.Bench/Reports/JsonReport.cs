using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Crucible.Bench;

/// <summary>
/// Crucible's JSON report (<c>report.json</c>): manifest, scores, breakdowns, verdicts, one entry per problem,
/// and — with details — one entry per sample (outcome, per-test letters, first failure).
/// </summary>
public static class JsonReport
{
    public static void Write(string path, EvalRun run, EvalSummary summary, ReproducibilityManifest manifest, bool details)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Write(w, run, summary, manifest, details);
    }

    public static string ToJson(EvalRun run, EvalSummary summary, ReproducibilityManifest manifest, bool details)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })) Write(w, run, summary, manifest, details);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void Write(Utf8JsonWriter w, EvalRun run, EvalSummary summary, ReproducibilityManifest manifest, bool details)
    {
        w.WriteStartObject();
        w.WritePropertyName("manifest");
        WriteManifest(w, manifest);
        w.WriteStartObject("scores");
        w.WriteStartObject("pass_at_k");
        foreach (var (k, v) in summary.PassAtK) w.WriteNumber($"pass@{k}", v);
        w.WriteEndObject();
        if (summary.PassAt1Interval is { } ci)
        {
            w.WriteStartObject("pass@1_bootstrap_ci");
            w.WriteNumber("low", ci.Low);
            w.WriteNumber("high", ci.High);
            w.WriteNumber("level", ci.Level);
            w.WriteEndObject();
        }
        if (summary.EvalPlusScores is { } plus)
        {
            w.WriteStartObject("evalplus");
            foreach (var (split, scores) in plus)
            {
                w.WriteStartObject(split);
                foreach (var (k, v) in scores) w.WriteNumber($"pass@{k}", v);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        if (summary.OtherGraderScores is { } otherScores)
        {
            w.WriteString("grader", run.Grader == Grader.EvalPlus ? "evalplus" : "strict");
            w.WriteStartObject(run.Grader == Grader.EvalPlus ? "evalplus_strict_grader" : "evalplus_official_grader");
            foreach (var (split, scores) in otherScores)
            {
                w.WriteStartObject(split);
                foreach (var (k, v) in scores) w.WriteNumber($"pass@{k}", v);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartArray("grader_differences");
            foreach (var d in summary.GraderDifferences)
            {
                w.WriteStartObject();
                w.WriteString("problem_id", d.ProblemId);
                w.WriteNumber("index", d.SampleIndex);
                w.WriteBoolean("strict_passed", d.StrictPassed);
                w.WriteBoolean("official_passed", d.OfficialPassed);
                w.WriteString("reason", d.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteStartArray("dataset_issues");
        foreach (var issue in run.Dataset.Issues)
        {
            w.WriteStartObject();
            w.WriteString("problem_id", issue.ProblemId);
            if (issue.Input is not null) w.WriteString("input", issue.Input);
            w.WriteString("message", issue.Message);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("unjudgeable_samples", summary.UnjudgeableSamples);
        w.WriteNumber("samples", summary.Samples);
        w.WriteNumber("scored_samples", summary.ScoredSamples);
        w.WriteNumber("infrastructure_errors", summary.InfrastructureErrors);
        w.WriteNumber("problems_scored", summary.Problems.Count(p => p.Samples > 0));
        w.WriteNumber("problems_without_samples", summary.ProblemsWithoutSamples);
        w.WriteNumber("judged_this_run", run.Judged);
        w.WriteNumber("reused_from_store", run.Reused);
        w.WriteNumber("elapsed_seconds", run.Elapsed.TotalSeconds);
        w.WriteStartArray("notes");
        foreach (var n in summary.Notes.Concat(run.Dataset.Warnings).Concat(run.Samples.Warnings)) w.WriteStringValue(n);
        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteStartObject("verdicts");
        foreach (var (o, n) in summary.Verdicts) w.WriteNumber(o.ToString(), n);
        w.WriteEndObject();

        w.WriteStartObject("breakdowns");
        foreach (var b in summary.Breakdowns)
        {
            w.WriteStartArray(b.Dimension);
            foreach (var r in b.Rows)
            {
                w.WriteStartObject();
                w.WriteString("group", r.Group);
                w.WriteNumber("problems", r.Problems);
                w.WriteNumber("samples", r.Samples);
                w.WriteNumber("pass@1", r.PassAt1);
                foreach (var (k, v) in r.PassAtK.Where(kv => kv.Key != 1)) w.WriteNumber($"pass@{k}", v);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();

        w.WriteStartArray("problems");
        foreach (var p in summary.Problems)
        {
            w.WriteStartObject();
            w.WriteString("id", p.ProblemId);
            w.WriteNumber("samples", p.Samples);
            w.WriteNumber("correct", p.Correct);
            if (p.PassAt1 is { } rate) w.WriteNumber("pass@1", rate); else w.WriteNull("pass@1");
            if (p.InfrastructureErrors > 0) w.WriteNumber("infrastructure_errors", p.InfrastructureErrors);
            if (p.Difficulty is not null) w.WriteString("difficulty", p.Difficulty);
            if (p.Platform is not null) w.WriteString("platform", p.Platform);
            if (p.Month is not null) w.WriteString("month", p.Month);
            if (p.TypicalFailure is not null) w.WriteString("typical_failure", p.TypicalFailure);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        if (details)
        {
            w.WriteStartArray("samples");
            foreach (var o in run.Outcomes)
            {
                var r = o.Result;
                w.WriteStartObject();
                w.WriteString("problem_id", o.Sample.ProblemId);
                w.WriteNumber("index", o.Sample.Index);
                w.WriteString("language", o.Sample.Language);
                w.WriteString("outcome", r.Outcome.ToString());
                w.WriteNumber("passed_tests", r.PassedTests);
                w.WriteNumber("total_tests", r.TotalTests);
                w.WriteString("tests", r.TestOutcomes);
                w.WriteNumber("cpu_seconds", r.CpuSeconds);
                w.WriteNumber("peak_memory_bytes", r.PeakMemoryBytes);
                if (r.FirstFailedTest is { } ft) w.WriteNumber("first_failed_test", ft);
                if (r.Message is not null) w.WriteString("message", r.Message);
                if (r.Expected is not null) w.WriteString("expected", r.Expected);
                if (r.Actual is not null) w.WriteString("actual", r.Actual);
                w.WriteBoolean("extracted_from_markdown", o.Sample.ExtractedFromMarkdown);
                w.WriteBoolean("reused", o.Reused);
                foreach (var (k, v) in o.Sample.Labels) w.WriteString("label_" + k, v);
                w.WriteString("key", r.Key);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    public static void WriteManifest(Utf8JsonWriter w, ReproducibilityManifest m)
    {
        w.WriteStartObject();
        w.WriteString("crucible_version", m.CrucibleVersion);
        w.WriteString("runtime", m.Runtime);
        w.WriteString("created_at", m.CreatedAt);
        if (m.CommandLine is not null) w.WriteString("command_line", m.CommandLine);
        w.WriteStartObject("dataset");
        w.WriteString("path", m.DatasetPath);
        w.WriteString("format", m.DatasetFormat);
        w.WriteString("sha256", m.DatasetSha256);
        w.WriteNumber("problems", m.DatasetProblems);
        w.WriteEndObject();
        w.WriteStartObject("samples");
        w.WriteString("source", m.SamplesSource);
        w.WriteString("sha256", m.SamplesSha256);
        w.WriteNumber("count", m.Samples);
        w.WriteEndObject();
        w.WriteStartObject("limits");
        foreach (var (k, v) in m.Limits) w.WriteString(k, v);
        w.WriteEndObject();
        w.WriteStartObject("toolchains");
        foreach (var (k, v) in m.Toolchains) w.WriteString(k, v);
        w.WriteEndObject();
        w.WriteStartObject("machine");
        w.WriteNumber("cores", m.Machine.Cores);
        w.WriteNumber("memory_bytes", m.Machine.MemoryBytes);
        w.WriteString("kernel", m.Machine.Kernel);
        w.WriteString("os", m.Machine.OperatingSystem);
        w.WriteString("cpu", m.Machine.Cpu);
        w.WriteEndObject();
        if (m.Isolation is not null) w.WriteString("isolation", m.Isolation);
        w.WriteEndObject();
    }
}
