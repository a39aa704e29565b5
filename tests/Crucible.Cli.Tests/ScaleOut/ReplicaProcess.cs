using System.Diagnostics;
using System.Text;

namespace Crucible.Cli.Tests.ScaleOut;

/// <summary>
/// One `crucible serve` replica in its own network namespace with its own state directory. Disposing it kills it if
/// it still runs and removes what a SIGKILLed server cannot clean up itself: its tmpfs mounts and its cgroups.
/// </summary>
internal sealed class ReplicaProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _state;

    private ReplicaProcess(Process process, string state, Uri url)
    {
        _process = process;
        _state = state;
        Url = url;
        process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Url { get; }
    public int Pid => _process.Id;
    public bool Exited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public static ReplicaProcess Start(HostNetwork net, int host, params string[] extra)
    {
        var state = Path.Combine(Path.GetTempPath(), $"crucible-replica-{net.Tag}-{host}");
        var url = new Uri($"http://{net.Address(host)}:8080/");
        string[] args = [Path.Combine(AppContext.BaseDirectory, "crucible.dll"), "serve", "--urls", $"http://{net.Address(host)}:8080", "--state", state, .. extra];
        var psi = net.StartInfo(host, "dotnet", args);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["CI"] = "true";
        return new ReplicaProcess(Process.Start(psi)!, state, url);
    }

    /// <summary>Waits until <c>/ready</c> answers 200 (the replica admits work) or the process ends.</summary>
    public async Task WaitReadyAsync(TimeSpan limit)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until && !_process.HasExited)
        {
            try
            {
                if ((await http.GetAsync(new Uri(Url, "ready"))).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new InvalidOperationException($"replica {Url} did not become ready:\n{Log}");
    }

    public void Kill() => _process.Kill();

    public void Terminate()
    {
        if (Libc.Kill(_process.Id, Libc.SIGTERM) != 0) throw new InvalidOperationException($"kill -TERM {_process.Id} failed");
    }

    public async Task<bool> WaitExitAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await WaitExitAsync(TimeSpan.FromSeconds(10));
        }
        var pid = _process.Id;
        _process.Dispose();
        // A SIGKILLed server leaves its session tmpfs mounts under its state directory and its cgroups behind.
        foreach (var mount in File.ReadAllLines("/proc/self/mounts").Select(l => l.Split(' ')[1]).Where(m => m.StartsWith(_state + "/", StringComparison.Ordinal)).OrderByDescending(m => m.Length))
            Run("umount", "-l", mount);
        RemoveCgroups($"crucible-{pid}-");
        try { Directory.Delete(_state, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static void RemoveCgroups(string prefix)
    {
        if (!Directory.Exists("/sys/fs/cgroup")) return;
        var roots = File.Exists("/sys/fs/cgroup/cgroup.controllers") ? ["/sys/fs/cgroup"] : Directory.GetDirectories("/sys/fs/cgroup");
        foreach (var root in roots)
        {
            IEnumerable<string> found;
            try { found = Directory.EnumerateDirectories(root, prefix + "*", SearchOption.AllDirectories).ToList(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            foreach (var dir in found)
                foreach (var d in Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories).OrderByDescending(x => x.Length).Append(dir))
                    try { Directory.Delete(d); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardError.ReadToEnd();
        p.WaitForExit();
    }
}
