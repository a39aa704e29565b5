using System.Diagnostics;
using System.Text.Json;

namespace Crucible.Cli.Tests.ScaleOut;

/// <summary>integrations/verl/crucible_reward.py's <c>compute_score_batch</c> in a child Python, as a trainer calls it, over several replicas.</summary>
internal static class VerlRewardRun
{
    public const string Python = "/usr/bin/python3";

    private const string Script = """
        import json, sys
        import crucible_reward as cr
        job = json.load(sys.stdin)
        n = len(job["solutions"])
        scores = cr.compute_score_batch(["scaleout-test"] * n, job["solutions"], [job["truth"]] * n,
                                        url=job["url"], batch_size=job["batch_size"], max_attempts=5, return_dict=False,
                                        cpu_time_limit_s=job["cpu_time_limit_s"])
        print(json.dumps(scores))
        """;

    /// <summary>Scores the solutions; returns the scores in order, or throws with Python's error when it gave up.</summary>
    public static async Task<double[]> ScoreAsync(IEnumerable<Uri> servers, IReadOnlyList<string> solutions, string truth, int batchSize, double cpuSeconds)
    {
        var psi = new ProcessStartInfo(Python) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Script);
        psi.Environment["PYTHONPATH"] = Path.Combine(Deploy.Manifests.Repo(), "integrations", "verl");
        using var p = Process.Start(psi)!;
        await p.StandardInput.WriteAsync(JsonSerializer.Serialize(new
        {
            solutions,
            truth,
            url = string.Join(',', servers.Select(s => s.ToString().TrimEnd('/'))),
            batch_size = batchSize,
            cpu_time_limit_s = cpuSeconds,
        }));
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await p.WaitForExitAsync(cts.Token);
        if (p.ExitCode != 0) throw new InvalidOperationException($"crucible_reward.py exited {p.ExitCode}: {await stderr}");
        return JsonSerializer.Deserialize<double[]>(await stdout)!;
    }
}
