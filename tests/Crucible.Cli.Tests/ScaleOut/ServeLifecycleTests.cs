using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Crucible.Cli.Tests.ScaleOut;

/// <summary>`crucible serve` and SIGTERM: readiness turns false first while work is still admitted, then it drains and exits 0.</summary>
public sealed class ServeLifecycleTests
{
    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [Fact]
    public async Task SigtermTurnsReadinessOffBeforeAdmissionStopsThenDrainsAndExitsZero()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "signals are Linux here");
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "crucible.dll"), "serve", "--port", port.ToString(), "--unready-delay", "3s", "--drain-timeout", "10s" })
            psi.ArgumentList.Add(a);
        psi.Environment["CRUCIBLE_STATE"] = CliRunner.StateRoot + "-lifecycle";
        using var server = Process.Start(psi)!;
        var stdout = server.StandardOutput.ReadToEndAsync();
        var stderr = server.StandardError.ReadToEndAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            var up = false;
            for (var i = 0; i < 150 && !up; i++)
            {
                try { up = (await http.GetAsync("ready")).IsSuccessStatusCode; }
                catch (HttpRequestException) { await Task.Delay(200); }
            }
            Assert.True(up, "crucible serve did not come up");
            // Work admitted before the signal, still running when it comes.
            var slow = http.PostAsync("run_code", new StringContent("""{"code": "import time\ntime.sleep(2)\nprint('done')", "language": "python"}""", Encoding.UTF8, "application/json"));
            await Task.Delay(500);

            Assert.Equal(0, Libc.Kill(server.Id, Libc.SIGTERM));
            await Task.Delay(300);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("ready")).StatusCode);
            // Not ready, yet still admitting during the unready delay: a load balancer that has not caught up loses nothing.
            var during = await http.PostAsync("run_code", new StringContent("""{"code": "print(7)", "language": "python"}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, during.StatusCode);
            Assert.Contains("7\\n", await during.Content.ReadAsStringAsync());

            var admitted = await slow;
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
            Assert.Contains("done", await admitted.Content.ReadAsStringAsync());
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await server.WaitForExitAsync(cts.Token);
            Assert.True(server.ExitCode == 0, $"exit code {server.ExitCode}: {await stderr}");
            Assert.Contains("stopped", await stdout);
        }
        finally
        {
            if (!server.HasExited) server.Kill(true);
        }
    }
}
