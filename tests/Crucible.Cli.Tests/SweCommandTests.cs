using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Crucible.Cli.Tests;

/// <summary><c>crucible swe eval</c> as a user runs it: on the demo repositories, killed with SIGKILL and resumed, and on bad input.</summary>
public sealed class SweCommandTests
{
    private static readonly string Examples = FindExamples();
    private static readonly Lazy<string> Demo = new(BuildDemo);

    private static string FindExamples()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (Directory.Exists(Path.Combine(dir, "examples", "swe"))) return Path.Combine(dir, "examples", "swe");
        throw new DirectoryNotFoundException("examples/swe");
    }

    private static string BuildDemo()
    {
        var outDir = Path.Combine(Path.GetTempPath(), "crucible-swe-cli-" + Guid.NewGuid().ToString("N")[..8]);
        using var p = Process.Start(new ProcessStartInfo("bash", [Path.Combine(Examples, "build-demo.sh"), outDir]) { RedirectStandardOutput = true })!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return outDir;
    }

    private static void RequireSandbox()
    {
        Assert.SkipUnless(File.Exists("/usr/bin/bwrap"), "bubblewrap is not installed");
        using var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", "import pytest"]) { RedirectStandardError = true })!;
        p.WaitForExit();
        Assert.SkipUnless(p.ExitCode == 0, "python3-pytest is not installed");
    }

    private static string[] EvalArgs(string outDir, string predictions, params string[] more) =>
        ["swe", "eval", "--tasks", Path.Combine(Examples, "tasks"), "--predictions", predictions, "--repos", Path.Combine(Demo.Value, "repos"), "--out", outDir, .. more];

    [Fact]
    public void DemoMixScoresTwoOfFiveWithOfficialReports()
    {
        RequireSandbox();
        var outDir = Path.Combine(Demo.Value, "out-" + Guid.NewGuid().ToString("N")[..6]);
        var (code, stdout, stderr) = CliRunner.Run(EvalArgs(outDir, Path.Combine(Demo.Value, "predictions-mixed.jsonl"), "--json"));
        Assert.True(code == 0, stderr);
        var summary = JsonNode.Parse(stdout)!;
        Assert.Equal(5, (int)summary["total_instances"]!);
        Assert.Equal(2, (int)summary["resolved_instances"]!);
        Assert.Equal(["crucible-demo__numkit-2", "crucible-demo__textkit-2"], summary["resolved_ids"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(["crucible-demo__textkit-3"], summary["crucible"]!["not_applied_ids"]!.AsArray().Select(x => (string)x!));
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "demo-model", "crucible-demo__textkit-1", "report.json")))!["crucible-demo__textkit-1"]!;
        Assert.False((bool)report["resolved"]!);
        Assert.NotEmpty(report["tests_status"]!["FAIL_TO_PASS"]!["failure"]!.AsArray());
        Assert.True(File.Exists(Path.Combine(outDir, "report.html")));
    }

    [Fact]
    public void KilledRunResumesWithoutLosingOrDuplicating()
    {
        RequireSandbox();
        var outDir = Path.Combine(Demo.Value, "kill-" + Guid.NewGuid().ToString("N")[..6]);
        var predictions = Path.Combine(Demo.Value, "predictions-gold.jsonl");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "crucible.dll"));
        foreach (var a in EvalArgs(outDir, predictions, "--parallel", "1")) psi.ArgumentList.Add(a);
        psi.Environment["CI"] = "true";
        psi.Environment["CRUCIBLE_STATE"] = CliRunner.StateRoot;
        using (var p = Process.Start(psi)!)
        {
            _ = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            var db = Path.Combine(outDir, "grades.db");
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (!p.HasExited && DateTime.UtcNow < deadline && Rows(db).Count == 0) Thread.Sleep(20);
            if (!p.HasExited) p.Kill(); // SIGKILL
            p.WaitForExit();
        }
        var beforeResume = Rows(Path.Combine(outDir, "grades.db"));
        var (code, _, stderr) = CliRunner.Run(EvalArgs(outDir, predictions));
        Assert.True(code == 0, stderr);
        var after = Rows(Path.Combine(outDir, "grades.db"));
        Assert.Equal(5, after.Count);
        Assert.Equal(5, after.Distinct().Count());
        Assert.All(beforeResume, id => Assert.Contains(id, after));
        Assert.Equal(beforeResume.Count, stderr.Split('\n').Count(l => l.Contains("(stored)", StringComparison.Ordinal)));
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "gold.summary.json")))!;
        Assert.Equal(5, (int)summary["resolved_instances"]!);
    }

    private static List<string> Rows(string db)
    {
        if (!File.Exists(db)) return [];
        try
        {
            using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT instance_id FROM grades";
            using var r = cmd.ExecuteReader();
            var ids = new List<string>();
            while (r.Read()) ids.Add(r.GetString(0));
            return ids;
        }
        catch (SqliteException) { return []; }
    }

    [Fact]
    public void PredictionForUnknownTaskIsRejectedByName()
    {
        var preds = CliRunner.WriteTemp("preds.jsonl", "{\"instance_id\": \"nobody__nothing-1\", \"model_name_or_path\": \"m\", \"model_patch\": \"\"}\n");
        var (code, _, stderr) = CliRunner.Run("swe", "eval", "--tasks", Path.Combine(Examples, "tasks"), "--predictions", preds, "--repos", "/nonexistent");
        Assert.Equal(64, code);
        Assert.Contains("nobody__nothing-1", stderr);
        Assert.Contains(preds, stderr);
    }

    [Fact]
    public void MissingRepositoryIsAnInputErrorForThatTask()
    {
        RequireSandbox();
        var outDir = Path.Combine(Demo.Value, "norepo-" + Guid.NewGuid().ToString("N")[..6]);
        var empty = Directory.CreateTempSubdirectory("crucible-norepos").FullName;
        var (code, _, stderr) = CliRunner.Run("swe", "eval", "--tasks", Path.Combine(Examples, "tasks", "crucible-demo__numkit-1"),
            "--predictions", Path.Combine(Demo.Value, "predictions-gold.jsonl"), "--repos", empty, "--out", outDir);
        Assert.Equal(64, code);
        Assert.Contains("crucible-demo__textkit-1", stderr); // predictions for tasks not loaded are named
        var one = CliRunner.WriteTemp("one.jsonl", File.ReadAllLines(Path.Combine(Demo.Value, "predictions-gold.jsonl")).First(l => l.Contains("numkit-1", StringComparison.Ordinal)) + "\n");
        (code, _, stderr) = CliRunner.Run("swe", "eval", "--tasks", Path.Combine(Examples, "tasks", "crucible-demo__numkit-1"), "--predictions", one, "--repos", empty, "--out", outDir);
        Assert.Equal(2, code);
        Assert.Contains("crucible-demo/numkit", stderr);
        Assert.Contains(Path.Combine(empty, "crucible-demo__numkit"), stderr);
    }
}
