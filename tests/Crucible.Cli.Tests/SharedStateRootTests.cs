using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Crucible.Cli.Tests;

/// <summary>
/// Two `crucible serve` and two `crucible eval` on one state directory at once, as the README's 8080/8081 recipe and
/// a user running two evaluations would: every name under the shared root must be unique per process, so none of
/// them sees an infrastructure error caused by another.
/// </summary>
public sealed partial class SharedStateRootTests
{
    private static Process Start(string state, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "crucible.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["CRUCIBLE_STATE"] = state;
        psi.Environment["CI"] = "true";
        psi.Environment["NO_COLOR"] = "1";
        return Process.Start(psi)!;
    }

    [GeneratedRegex("\"infrastructure_errors\":\\s*(\\d+)")]
    private static partial Regex InfraErrors();

    [Fact]
    public async Task TwoServersAndTwoEvalsShareOneStateDirectoryWithoutInfrastructureErrors()
    {
        var state = Path.Combine(Path.GetTempPath(), "crucible-shared-" + Guid.NewGuid().ToString("N")[..8]);
        var outs = new[] { state + "-out-a", state + "-out-b" };
        var ports = new[] { CliRunner.FreePort(), CliRunner.FreePort() };
        var servers = ports.Select(p => Start(state, "serve", "--port", p.ToString())).ToList();
        var serverLogs = servers.Select(s => (s.StandardOutput.ReadToEndAsync(), s.StandardError.ReadToEndAsync())).ToList();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };
            foreach (var port in ports)
            {
                var up = false;
                for (var i = 0; i < 150 && !up; i++)
                {
                    try { up = (await http.GetAsync($"http://127.0.0.1:{port}/health")).IsSuccessStatusCode; }
                    catch (HttpRequestException) { await Task.Delay(200); }
                }
                Assert.True(up, $"crucible serve on {port} did not come up");
            }

            var demo = Path.Combine(CliRunner.RepoRoot(), "examples", "demo");
            var evals = outs.Select(o => Start(state, "eval", "--dataset", Path.Combine(demo, "problems.jsonl"), "--samples", Path.Combine(demo, "samples.jsonl"), "--out", o, "--parallel", "2", "--limit", "10")).ToList();
            var evalLogs = evals.Select(e => (e.StandardOutput.ReadToEndAsync(), e.StandardError.ReadToEndAsync())).ToList();

            // Meanwhile both servers answer a stream of unique programs (each a new session, compile-cache entry and runs).
            var requests = Enumerable.Range(0, 48).Select(async i =>
            {
                var port = ports[i % 2];
                var body = (i % 4) switch
                {
                    0 => new { code = $"#include <cstdio>\nint main(){{ int a; if (scanf(\"%d\", &a) != 1) return 1; printf(\"%d\\n\", a * {i}); }}", language = "cpp", stdin = "3" },
                    1 => new { code = $"import sys\nprint(int(sys.stdin.read()) + {i})", language = "python", stdin = "4" },
                    2 => new { code = $"import sys\nsys.exit({i % 3})", language = "python", stdin = "" },
                    _ => new { code = $"x = [0] * 1000\nprint(len(x), {i})", language = "python", stdin = "" },
                };
                using var response = await http.PostAsJsonAsync($"http://127.0.0.1:{port}/run_code", body);
                return (i, (int)response.StatusCode, await response.Content.ReadAsStringAsync());
            }).ToList();
            var answers = await Task.WhenAll(requests);

            foreach (var e in evals) Assert.True(e.WaitForExit(240_000), "crucible eval did not finish in 240 s");
            for (var i = 0; i < evals.Count; i++)
            {
                var stderr = await evalLogs[i].Item2;
                Assert.True(evals[i].ExitCode == 0, $"eval {i} exited {evals[i].ExitCode} (2 = infrastructure errors): {stderr}");
                var report = await File.ReadAllTextAsync(Path.Combine(outs[i], "report.json"));
                foreach (Match m in InfraErrors().Matches(report)) Assert.Equal("0", m.Groups[1].Value);
                // An explicit --parallel N judges exactly N at once (no extra light sample), and the manifest says so.
                using var doc = JsonDocument.Parse(report);
                Assert.Equal("2", doc.RootElement.GetProperty("manifest").GetProperty("limits").GetProperty("parallel_submissions").GetString());
            }
            foreach (var (i, status, text) in answers)
            {
                Assert.True(status == 200, $"request {i}: HTTP {status} {text}");
                using var doc = JsonDocument.Parse(text);
                Assert.DoesNotContain("SandboxError", text);
                var run = doc.RootElement.GetProperty("run_result");
                var expected = (i % 4) switch { 0 => $"{3 * i}\n", 1 => $"{4 + i}\n", 2 => "", _ => $"1000 {i}\n" };
                Assert.Equal(expected, run.GetProperty("stdout").GetString());
            }
        }
        finally
        {
            foreach (var s in servers) { try { s.Kill(true); } catch (InvalidOperationException) { } }
            foreach (var d in outs.Append(state)) try { Directory.Delete(d, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    [Fact]
    public void ASecondEvalIntoTheSameOutDirectoryIsRefused()
    {
        var outDir = Path.Combine(Path.GetTempPath(), "crucible-outlock-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(outDir);
        try
        {
            // Holds the lock the way a running eval does.
            using var held = new FileStream(Path.Combine(outDir, ".crucible-eval.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            var demo = Path.Combine(CliRunner.RepoRoot(), "examples", "demo");
            var (code, _, stderr) = CliRunner.Run("eval", "--dataset", Path.Combine(demo, "problems.jsonl"), "--samples", Path.Combine(demo, "samples.jsonl"), "--out", outDir);
            Assert.Equal(64, code);
            Assert.Contains(outDir, stderr);
            Assert.Contains("in use by another", stderr);
            Assert.False(File.Exists(Path.Combine(outDir, "results.db")), "the refused eval touched the results store");
        }
        finally
        {
            try { Directory.Delete(outDir, true); } catch (IOException) { }
        }
    }
}
