using System.Text.Json;

namespace Crucible.Cli.Tests;

public sealed class CurateCommandTests
{
    private static string Examples([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "examples", "curate"));

    private static string TempOut() => Path.Combine(Path.GetTempPath(), "crucible-curate-cli-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public void Curate_on_the_bundled_sample_prints_the_funnel_writes_the_outputs_and_resumes()
    {
        var examples = Examples();
        var outDir = TempOut();
        string[] args =
        [
            "curate", "--dataset", Path.Combine(examples, "taco_sample.jsonl"), "--dataset", Path.Combine(examples, "deepcoder_sample.jsonl"),
            "--eval-set", Path.Combine(examples, "eval_set.jsonl"), "--runs", "2", "--out", outDir,
        ];
        try
        {
            var (code, stdout, stderr) = CliRunner.Run(args);

            Assert.True(code == 0, stderr + stdout);
            Assert.Contains("curation funnel", stdout);
            Assert.Contains("reference does not compile", stdout);
            Assert.Contains("contaminated (statement)", stdout);
            foreach (var file in new[] { "train.parquet", "deepcoder.json", "problems.jsonl", "report.html", "report.json", "provenance.jsonl", "curation.db" })
                Assert.True(File.Exists(Path.Combine(outDir, file)), file);
            using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
            var funnel = report.RootElement.GetProperty("funnel").EnumerateArray().ToList();
            Assert.Equal(13, funnel[0].GetProperty("in").GetInt32());
            Assert.Equal(6, funnel[^1].GetProperty("kept").GetInt32());

            var (again, stdout2, _) = CliRunner.Run(args);
            Assert.Equal(0, again);
            Assert.Equal(funnel[^1].GetProperty("kept").GetInt32(), JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json"))).RootElement.GetProperty("funnel").EnumerateArray().Last().GetProperty("kept").GetInt32());
            Assert.Contains("reference does not compile", stdout2);
        }
        finally
        {
            try { Directory.Delete(outDir, true); } catch (IOException) { }
        }
    }

    [Theory]
    [InlineData("--dataset", "/nonexistent/train.jsonl", "dataset not found")]
    [InlineData("--stages", "normalize,difficulty", "difficulty but no --base-url")]
    [InlineData("--keep-pass-rate", "p>0", "A<p<B")]
    public void Curate_rejects_bad_input_with_exit_64_and_the_fix(string option, string value, string message)
    {
        var outDir = TempOut();
        var args = new List<string> { "curate", "--out", outDir };
        if (option != "--dataset") args.AddRange(["--dataset", Path.Combine(Examples(), "deepcoder_sample.jsonl")]);
        args.AddRange([option, value]);
        if (option == "--keep-pass-rate") args.AddRange(["--base-url", "http://127.0.0.1:9/v1", "--model", "m"]);

        var (code, _, stderr) = CliRunner.Run([.. args]);

        Assert.Equal(64, code);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("   at ", stderr); // no stack trace
    }

    [Fact]
    public void Rollouts_stats_reports_zero_variance_groups_infra_errors_and_reward_disagreements()
    {
        var outDir = TempOut();
        try
        {
            var (code, stdout, stderr) = CliRunner.Run("rollouts", "stats", Path.Combine(Examples(), "rollouts_step42.jsonl"), "--rejudge", "--out", outDir);

            Assert.True(code == 0, stderr + stdout);
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "rollouts.json")));
            var root = doc.RootElement;
            Assert.Equal(24, root.GetProperty("rollouts").GetInt32());
            Assert.Equal(0.666667, root.GetProperty("zero_variance_fraction").GetDouble(), 5);
            Assert.Equal(1, root.GetProperty("infrastructure_errors").GetInt32());
            var disagreement = Assert.Single(root.GetProperty("rejudge").GetProperty("disagreements").EnumerateArray());
            Assert.Equal(1, disagreement.GetProperty("trainer_reward").GetDouble());
            Assert.False(disagreement.GetProperty("crucible_passed").GetBoolean());
            Assert.True(File.Exists(Path.Combine(outDir, "rollouts.html")));
        }
        finally
        {
            try { Directory.Delete(outDir, true); } catch (IOException) { }
        }
    }
}
