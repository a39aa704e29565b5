using System.Diagnostics;
using System.Text.Json;

namespace Crucible.Cli.Tests;

/// <summary>crucible eval on a LiveCodeBench dataset writes lcb_runner's _eval.json and _eval_all.json shapes.</summary>
public sealed class LiveCodeBenchOutputTests
{
    private static string Row(string id, string difficulty, string date, object[] tests, string? func = null) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["question_title"] = "title " + id, ["question_content"] = "statement " + id, ["platform"] = "atcoder", ["question_id"] = id,
        ["contest_id"] = "abc001", ["contest_date"] = date, ["starter_code"] = func is null ? "" : $"class Solution:\n    def {func}(self, x: int) -> int:\n        ",
        ["difficulty"] = difficulty, ["public_test_cases"] = JsonSerializer.Serialize(tests), ["private_test_cases"] = "[]",
        ["metadata"] = JsonSerializer.Serialize(func is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["func_name"] = func }),
    });

    [Fact]
    public void EvalOnLiveCodeBenchWritesFilesLcbRunnerReads()
    {
        var dataset = CliRunner.WriteTemp("test6.jsonl",
            Row("p1", "easy", "2024-09-01T00:00:00", [new { input = "1 2\n", output = "0.500000\n", testtype = "stdin" }, new { input = "2 4\n", output = "0.5\n", testtype = "stdin" }]) + "\n" +
            Row("p2", "hard", "2024-10-01T00:00:00", [new { input = "3", output = "6", testtype = "functional" }], "double") + "\n");
        var samples = CliRunner.WriteTemp("codegen_2_0.2.json", JsonSerializer.Serialize(new object[]
        {
            new { question_id = "p1", code_list = new[] { "a, b = map(int, input().split())\nprint(a / b)", "print(1)" } },
            new { question_id = "p2", code_list = new[] { "class Solution:\n    def double(self, x: int) -> int:\n        return 2 * x", "class Solution:\n    def double(self, x):\n        return x" } },
        }));
        var outDir = Path.Combine(Path.GetTempPath(), "crucible-lcb-out-" + Guid.NewGuid().ToString("N")[..8]);
        var (code, stdout, stderr) = CliRunner.Run("eval", "--dataset", dataset, "--samples", samples, "--out", outDir);
        Assert.True(code == 0, stdout + stderr);

        var evalAll = Path.Combine(outDir, "codegen_2_0.2_eval_all.json");
        var eval = Path.Combine(outDir, "codegen_2_0.2_eval.json");
        Assert.True(File.Exists(evalAll) && File.Exists(eval), string.Join(", ", Directory.GetFiles(outDir)));
        // What lcb_runner.evaluation.compute_scores does with the file (fromisoformat, date filter, graded_list
        // counts per difficulty), and how main.py's _eval.json is laid out ([metrics, results, metadata]).
        var script = """
            import json, sys
            from datetime import datetime
            results = json.load(open(sys.argv[1]))
            for r in results:
                r["contest_date"] = datetime.fromisoformat(r["contest_date"])
            start = datetime.strptime("2024-09-15", "%Y-%m-%d")
            late = [r for r in results if start <= r["contest_date"]]
            metrics, per_test, metadata = json.load(open(sys.argv[2]))
            print(json.dumps({
                "totals": [len(r["graded_list"]) for r in results], "corrects": [sum(r["graded_list"]) for r in results],
                "hard": [sum(r["graded_list"]) for r in results if r["difficulty"] == "hard"], "late": [r["question_id"] for r in late],
                "pass1": metrics["pass@1"], "detail": metrics["detail"]["pass@1"], "tests": per_test, "meta": [json.loads(m) for m in metadata[0]],
                "keys": sorted(results[0].keys())}))
            """;
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(evalAll);
        psi.ArgumentList.Add(eval);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, error);
        var r = JsonDocument.Parse(output).RootElement;
        Assert.Equal([2, 2], r.GetProperty("totals").EnumerateArray().Select(x => x.GetInt32()));
        Assert.Equal([1, 1], r.GetProperty("corrects").EnumerateArray().Select(x => x.GetInt32()));
        Assert.Equal([1], r.GetProperty("hard").EnumerateArray().Select(x => x.GetInt32()));
        Assert.Equal(["p2"], r.GetProperty("late").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(0.5, r.GetProperty("pass1").GetDouble(), 6);
        Assert.Equal(0.5, r.GetProperty("detail").GetProperty("0").GetDouble(), 6);
        // Per test: every test passed → true …; the failing sample stops at its first failure's code (−2 wrong answer).
        Assert.Equal("[[true, true], [-2]]", r.GetProperty("tests").GetProperty("0").GetRawText());
        Assert.Equal(-2, r.GetProperty("meta")[1].GetProperty("error_code").GetInt32());
        Assert.Equal(["code_list", "contest_date", "contest_id", "difficulty", "graded_list", "metadata", "output_list", "pass@1", "platform", "question_content", "question_id", "question_title", "starter_code"],
            r.GetProperty("keys").EnumerateArray().Select(x => x.GetString()));
    }
}
