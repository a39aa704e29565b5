using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Crucible.Judge;

namespace Crucible.Bench;

/// <summary>
/// Writes LiveCodeBench's own evaluation files, so <c>lcb_runner</c>'s scripts read Crucible's results
/// (<c>python -m lcb_runner.evaluation.compute_scores --eval_all_file OUT/&lt;samples&gt;_eval_all.json</c>):
/// <list type="bullet">
/// <item><c>&lt;stem&gt;_eval.json</c> — <c>[metrics, results, metadata]</c> as <c>lcb_runner/runner/main.py</c> dumps
/// them: <c>{"pass@1": mean, "pass@5": …, "detail": {"pass@1": {"0": v, …}}}</c>; per problem index, one list per
/// sample of per-test results (<c>true</c> for each test passed, then the failing test's error code: −1 compile
/// error, −2 wrong answer, −3 time limit, −4 runtime error); per problem, one JSON string of details per sample.</item>
/// <item><c>&lt;stem&gt;_eval_all.json</c> — one object per problem as <c>CodeGenerationProblem.insert_output_evaluation</c>
/// writes it: question fields, <c>output_list</c>, <c>code_list</c>, <c>graded_list</c>, <c>pass@1</c>, <c>metadata</c>.</item>
/// </list>
/// Problems are in dataset order. Samples the sandbox could not judge are left out (LiveCodeBench would count them
/// as failures); their number is in <c>crucible_infrastructure_errors</c> of the metrics, a key lcb_runner ignores.
/// </summary>
public static class LiveCodeBenchResults
{
    private static readonly int[] Ks = [1, 5, 10, 25, 50, 100, 150, 200];

    /// <summary>Writes both files into <paramref name="directory"/>; returns their paths.</summary>
    public static (string Eval, string EvalAll) Write(string directory, string stem, EvalRun run)
    {
        var problems = run.Dataset.Problems
            .Select(p => (Problem: p, Samples: run.Outcomes.Where(o => o.Sample.ProblemId == p.Id && !o.Result.IsInfrastructureError).OrderBy(o => o.Sample.Index).ToList()))
            .Where(x => x.Samples.Count > 0)
            .ToList();
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var evalPath = Path.Combine(directory, stem + "_eval.json");
        var allPath = Path.Combine(directory, stem + "_eval_all.json");
        using (var stream = File.Create(evalPath))
        using (var w = new Utf8JsonWriter(stream, options))
            WriteEval(w, problems, run.InfrastructureErrors);
        using (var stream = File.Create(allPath))
        using (var w = new Utf8JsonWriter(stream, options))
            WriteEvalAll(w, problems);
        return (evalPath, allPath);
    }

    private static void WriteEval(Utf8JsonWriter w, List<(Problem Problem, List<SampleOutcome> Samples)> problems, int infraErrors)
    {
        var counts = problems.Select(x => (N: x.Samples.Count, C: x.Samples.Count(s => s.Result.Passed))).ToList();
        var ks = Ks.Where(k => counts.Count > 0 && counts.All(c => c.N >= k)).ToList();
        w.WriteStartArray();
        w.WriteStartObject();
        foreach (var k in ks) w.WriteNumber($"pass@{k}", counts.Average(c => PassAtK.Estimate(c.N, c.C, k)));
        w.WriteStartObject("detail");
        foreach (var k in ks)
        {
            w.WriteStartObject($"pass@{k}");
            for (var i = 0; i < counts.Count; i++) w.WriteNumber(i.ToString(CultureInfo.InvariantCulture), PassAtK.Estimate(counts[i].N, counts[i].C, k));
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteNumber("crucible_infrastructure_errors", infraErrors);
        w.WriteEndObject();

        w.WriteStartObject();
        for (var i = 0; i < problems.Count; i++)
        {
            w.WriteStartArray(i.ToString(CultureInfo.InvariantCulture));
            foreach (var s in problems[i].Samples)
            {
                w.WriteStartArray();
                WriteTestResults(w, s.Result);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();

        w.WriteStartArray();
        foreach (var (_, samples) in problems)
        {
            w.WriteStartArray();
            foreach (var s in samples) w.WriteStringValue(Metadata(s.Result));
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteEndArray();
    }

    private static void WriteEvalAll(Utf8JsonWriter w, List<(Problem Problem, List<SampleOutcome> Samples)> problems)
    {
        w.WriteStartArray();
        foreach (var (p, samples) in problems)
        {
            var extra = p.Metadata.Extra;
            w.WriteStartObject();
            w.WriteString("question_title", extra.GetValueOrDefault("title") ?? p.Id);
            w.WriteString("question_content", p.Statement);
            w.WriteString("platform", p.Metadata.Platform ?? "");
            w.WriteString("question_id", p.Id);
            w.WriteString("contest_id", extra.GetValueOrDefault("contest_id") ?? "");
            // lcb_runner reads it with datetime.fromisoformat.
            w.WriteString("contest_date", (p.Metadata.ContestDate ?? DateTimeOffset.UnixEpoch).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
            w.WriteString("starter_code", extra.GetValueOrDefault("starter_code") ?? "");
            w.WriteString("difficulty", p.Metadata.Difficulty ?? "");
            w.WriteStartArray("output_list");
            foreach (var s in samples) w.WriteStringValue(s.Sample.Code);
            w.WriteEndArray();
            w.WriteStartArray("code_list");
            foreach (var s in samples) w.WriteStringValue(s.Sample.Code);
            w.WriteEndArray();
            w.WriteStartArray("graded_list");
            foreach (var s in samples) w.WriteBooleanValue(s.Result.Passed);
            w.WriteEndArray();
            w.WriteNumber("pass@1", samples.Count(s => s.Result.Passed) / (double)samples.Count);
            w.WriteStartArray("metadata");
            foreach (var s in samples) w.WriteStringValue(Metadata(s.Result));
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>LiveCodeBench's per-test list: true per passed test, then the first failure's code, nothing after.</summary>
    private static void WriteTestResults(Utf8JsonWriter w, SampleResult r)
    {
        for (var t = 0; t < r.TotalTests; t++)
        {
            var o = r.OutcomeOf(t);
            if (o == TestOutcome.Passed) { w.WriteBooleanValue(true); continue; }
            if (o == TestOutcome.Skipped) break;
            w.WriteNumberValue(ErrorCode(o));
            break;
        }
    }

    private static int ErrorCode(TestOutcome o) => o switch
    {
        TestOutcome.CompileError => -1,
        TestOutcome.WrongAnswer => -2,
        TestOutcome.TimeLimitExceeded => -3,
        _ => -4,
    };

    private static string Metadata(SampleResult r)
    {
        var meta = new Dictionary<string, object?>();
        if (r.Passed)
        {
            meta["execution time"] = r.CpuSeconds;
        }
        else
        {
            meta["error_code"] = ErrorCode(r.Outcome);
            meta["error_message"] = r.Outcome switch
            {
                TestOutcome.WrongAnswer => "Wrong Answer",
                TestOutcome.TimeLimitExceeded => "Time Limit Exceeded",
                TestOutcome.CompileError => "Compilation Error",
                _ => "Runtime Error",
            };
            if (r.Message is not null) meta["crucible_message"] = r.Message;
            if (r.Expected is not null) meta["expected"] = r.Expected;
            if (r.Actual is not null) meta["output"] = r.Actual;
        }
        return JsonSerializer.Serialize(meta);
    }
}
