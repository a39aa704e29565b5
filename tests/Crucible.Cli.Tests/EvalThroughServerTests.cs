using System.Diagnostics;
using System.Text.Json;

namespace Crucible.Cli.Tests;

public sealed class EvalThroughServerTests
{
    private static JsonElement Verdicts(string outDir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        return doc.RootElement.GetProperty("verdicts").Clone();
    }

    [Fact]
    public async Task EvalThroughAServerGivesTheSameVerdictsAsLocally()
    {
        var demo = Path.Combine(CliRunner.RepoRoot(), "examples", "demo");
        var local = Path.Combine(Path.GetTempPath(), "crucible-eval-local-" + Guid.NewGuid().ToString("N")[..8]);
        var remote = Path.Combine(Path.GetTempPath(), "crucible-eval-remote-" + Guid.NewGuid().ToString("N")[..8]);
        var port = CliRunner.FreePort();
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "crucible.dll"));
        foreach (var a in new[] { "serve", "--port", port.ToString() }) psi.ArgumentList.Add(a);
        psi.Environment["CRUCIBLE_STATE"] = CliRunner.StateRoot + "-srv";
        using var server = Process.Start(psi)!;
        _ = server.StandardOutput.ReadToEndAsync();
        _ = server.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient();
            var up = false;
            for (var i = 0; i < 100 && !up; i++)
            {
                try { up = (await http.GetAsync($"http://127.0.0.1:{port}/health")).IsSuccessStatusCode; }
                catch (HttpRequestException) { await Task.Delay(200); }
            }
            Assert.True(up, "crucible serve did not come up");
            string[] common = ["eval", "--dataset", Path.Combine(demo, "problems.jsonl"), "--samples", Path.Combine(demo, "samples.jsonl"), "--limit", "8"];
            var (lc, _, le) = CliRunner.Run([.. common, "--out", local]);
            var (rc, _, re) = CliRunner.Run([.. common, "--out", remote, "--server", $"http://127.0.0.1:{port}"]);
            Assert.True(lc == 0, le);
            Assert.True(rc == 0, re);
            Assert.Equal(Verdicts(local).GetRawText(), Verdicts(remote).GetRawText());
            Assert.True(Verdicts(remote).GetProperty("Passed").GetInt32() > 0);
        }
        finally
        {
            server.Kill(true);
            foreach (var d in new[] { local, remote }) try { Directory.Delete(d, true); } catch (IOException) { }
        }
    }
}
