using System.Text.Json;

namespace Crucible.Cli.Tests;

/// <summary>crucible eval's inputs: each mistake gets a clear error (exit 64, no stack trace) or a per-sample warning.</summary>
public sealed class EvalInputTests
{
    private static string Repo([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));

    private static string Problems => Path.Combine(Repo(), "examples", "demo", "problems.jsonl");

    private static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "crucible-eval-input-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static JsonElement Scores(string outDir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        return doc.RootElement.GetProperty("scores").Clone();
    }

    private const string Right = "a, b = map(int, input().split())\\nprint(a + b)\\n";

    [Fact]
    public void AnUnknownLanguageInSamplesIsInvalidInputNotAnInfrastructureError()
    {
        var samples = CliRunner.WriteTemp("samples.jsonl",
            $"{{\"task_id\": \"demo/sum-pair\", \"solution\": \"{Right}\"}}\n" +
            $"{{\"task_id\": \"demo/sum-pair\", \"solution\": \"{Right}\", \"language\": \"klingon\"}}\n");
        var outDir = TempDir();
        var (code, stdout, stderr) = CliRunner.Run("eval", "--dataset", Problems, "--samples", samples, "--out", outDir);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("unknown language 'klingon'", stdout + stderr);
        var scores = Scores(outDir);
        Assert.Equal(0, scores.GetProperty("infrastructure_errors").GetInt32());
        Assert.Equal(1, scores.GetProperty("scored_samples").GetInt32());
        // Without --parallel: one sample per core, and one more while its expected answers are small.
        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json"))))
            Assert.Equal($"{Environment.ProcessorCount} (+1 while its expected answers are at most 4 MiB)",
                doc.RootElement.GetProperty("manifest").GetProperty("limits").GetProperty("parallel_submissions").GetString());
        Assert.Contains(scores.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("klingon"));
    }

    [Fact]
    public void OutNamingAFileIsAClearError()
    {
        var samples = CliRunner.WriteTemp("samples.jsonl", $"{{\"task_id\": \"demo/sum-pair\", \"solution\": \"{Right}\"}}\n");
        var file = CliRunner.WriteTemp("not-a-dir.txt", "x");
        var (code, _, stderr) = CliRunner.Run("eval", "--dataset", Problems, "--samples", samples, "--out", file);
        Assert.Equal(64, code);
        Assert.Contains("is a file", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void ADirectoryGivenAsDatasetSaysSo()
    {
        var samples = CliRunner.WriteTemp("samples.jsonl", $"{{\"task_id\": \"demo/sum-pair\", \"solution\": \"{Right}\"}}\n");
        var (code, _, stderr) = CliRunner.Run("eval", "--dataset", TempDir(), "--samples", samples, "--out", TempDir());
        Assert.Equal(64, code);
        Assert.Contains("is a directory", stderr);
    }

    [Fact]
    public void LangIsHonouredForSamplesThatNameNoneAndUnknownOnesAreRejected()
    {
        var samples = CliRunner.WriteTemp("samples.jsonl",
            "{\"task_id\": \"demo/sum-pair\", \"solution\": \"#include <cstdio>\\nint main(){long a,b;std::scanf(\\\"%ld %ld\\\",&a,&b);std::printf(\\\"%ld\\\\n\\\",a+b);}\\n\"}\n");
        var outDir = TempDir();
        var (code, stdout, stderr) = CliRunner.Run("eval", "--dataset", Problems, "--samples", samples, "--out", outDir, "--lang", "cpp");
        Assert.True(code == 0, stdout + stderr);
        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json"))))
            Assert.Contains("cpp", doc.RootElement.GetProperty("manifest").GetRawText());
        // Judged as C++ (as Python it would be a syntax error).
        Assert.Equal(1.0, Scores(outDir).GetProperty("pass_at_k").GetProperty("pass@1").GetDouble());

        var (bad, _, err) = CliRunner.Run("eval", "--dataset", Problems, "--samples", samples, "--out", TempDir(), "--lang", "klingon");
        Assert.Equal(64, bad);
        Assert.Contains("--lang 'klingon'", err);
    }

    [Fact]
    public void EvalPlusSampleDirectoriesAreRead()
    {
        // EvalPlus codegen's layout: ROOT/<task id with '/' as '_'>/<n>.py.
        var root = TempDir();
        var task = Directory.CreateDirectory(Path.Combine(root, "demo_sum-pair")).FullName;
        File.WriteAllText(Path.Combine(task, "0.py"), "a, b = map(int, input().split())\nprint(a + b)\n");
        File.WriteAllText(Path.Combine(task, "1.py"), "print(0)\n");
        var outDir = TempDir();
        var (code, stdout, stderr) = CliRunner.Run("eval", "--dataset", Problems, "--samples", root, "--out", outDir);
        Assert.True(code == 0, stdout + stderr);
        var scores = Scores(outDir);
        Assert.Equal(2, scores.GetProperty("scored_samples").GetInt32());
        Assert.Equal(0.5, scores.GetProperty("pass_at_k").GetProperty("pass@1").GetDouble(), 6);
    }
}
