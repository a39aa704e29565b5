using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Crucible.Benchmarks;

/// <summary>
/// What the single-shot benchmark drives: two `crucible serve` processes (zygotes on and off) and the baseline
/// processes, each path in its own cpuacct cgroup so its CPU is measured apart from the driver's. Processes join their
/// cgroup before exec through a tiny C helper built here with gcc (a shell would add its own start-up to the baselines).
/// </summary>
internal sealed class BenchRig : IAsyncDisposable
{
    private const string CgExecSource = """
#include <fcntl.h>
#include <unistd.h>
int main(int argc, char **argv) {
    int fd = open(argv[1], O_WRONLY);
    if (fd < 0 || write(fd, "0", 1) != 1) return 126;
    close(fd);
    execv(argv[2], argv + 2);
    return 127;
}
""";
    private const string CppSource = "#include <cstdio>\nint main(){ long a, b; if (std::scanf(\"%ld %ld\", &a, &b) != 2) return 1; std::printf(\"%ld\\n\", a + b); }\n";
    private static readonly string[] Paths = ["server", "plain", "cold", "cold-s", "bare", "cli", "py"];

    private readonly List<Process> _servers = [];
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromMinutes(2) };
    private string _cgroupRoot = "";
    private string? _firstWrong;

    /// <summary>The first wrong answer a server gave (status and body), so a table with wrong runs says why.</summary>
    public string? TakeFirstWrong() => Interlocked.Exchange(ref _firstWrong, null);
    private string _cgexec = "", _cppBinary = "";

    public string Work { get; } = Path.Combine(Path.GetTempPath(), "crucible-single-shot-" + Guid.NewGuid().ToString("N")[..8]);
    public string CliDll { get; } = Path.Combine(AppContext.BaseDirectory, "crucible.dll");
    public string ZygoteUrl { get; private set; } = "";
    public string PlainUrl { get; private set; } = "";

    public static async Task<BenchRig> StartAsync(int? parallelRuns = null)
    {
        var rig = new BenchRig();
        Directory.CreateDirectory(rig.Work);
        var own = File.ReadAllLines("/proc/self/cgroup").Select(l => l.Split(':', 3)).First(p => p[1].Split(',').Contains("cpuacct"))[2];
        var hierarchy = Directory.Exists("/sys/fs/cgroup/cpuacct") ? "/sys/fs/cgroup/cpuacct" : "/sys/fs/cgroup/cpu,cpuacct";
        rig._cgroupRoot = Path.Combine(hierarchy, own.TrimStart('/'), "crucible-bench-" + Environment.ProcessId);
        foreach (var p in Paths) Directory.CreateDirectory(Path.Combine(rig._cgroupRoot, p));
        rig._cgexec = Path.Combine(rig.Work, "cgexec");
        await File.WriteAllTextAsync(rig._cgexec + ".c", CgExecSource);
        await Run("/usr/bin/gcc", "-O2", "-o", rig._cgexec, rig._cgexec + ".c");
        rig._cppBinary = Path.Combine(rig.Work, "main");
        await File.WriteAllTextAsync(rig._cppBinary + ".cpp", CppSource);
        await Run("/usr/bin/g++", "-O2", "-o", rig._cppBinary, rig._cppBinary + ".cpp");
        string[] parallel = parallelRuns is { } n ? ["--parallel-runs", n.ToString(CultureInfo.InvariantCulture)] : [];
        rig.ZygoteUrl = await rig.StartServerAsync("server", 18931, parallel);
        rig.PlainUrl = await rig.StartServerAsync("plain", 18932, [.. parallel, "--no-zygotes"]);
        return rig;
    }

    private async Task<string> StartServerAsync(string cgroup, int port, string[] extra)
    {
        var psi = new ProcessStartInfo(_cgexec) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Procs(cgroup), "/usr/bin/env", "dotnet", CliDll, "serve", "--port", port.ToString(CultureInfo.InvariantCulture), "--state", Path.Combine(Work, "state-" + cgroup) }.Concat(extra))
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        _servers.Add(process);
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var url = $"http://127.0.0.1:{port}";
        for (var i = 0; i < 600; i++)
        {
            try
            {
                if ((await _http.GetAsync(url + "/health")).IsSuccessStatusCode) return url;
            }
            catch (HttpRequestException) { }
            if (process.HasExited) throw new InvalidOperationException($"crucible serve exited with {process.ExitCode}");
            await Task.Delay(100);
        }
        throw new TimeoutException("crucible serve did not become healthy");
    }

    private string Procs(string cgroup) => Path.Combine(_cgroupRoot, cgroup, "cgroup.procs");

    /// <summary>CPU used so far by everything in the path's cgroup (its descendants included).</summary>
    public long CpuNanos(string cgroup) => long.Parse(File.ReadAllText(Path.Combine(_cgroupRoot, cgroup, "cpuacct.usage")).Trim(), CultureInfo.InvariantCulture);

    private static (string Source, string Stdin, string Expected) Case(string workload, int i) => workload == "cpp"
        ? (CppSource, $"{i} {i + 1}\n", $"{2L * i + 1}\n")
        : ($"x = {i}\nprint(x * 2)\n", "", $"{2L * i}\n");

    public async Task<bool> ServerRunAsync(string url, string workload, int i)
    {
        var (source, stdin, expected) = Case(workload, i);
        if (workload == "rewards")
        {
            var item = new { data_source = "bench", solution_str = $"```python\nx = int(input())\nprint(x * 2)\n```", ground_truth = new { inputs = new[] { $"{i}\n" }, outputs = new[] { $"{2L * i}\n" } } };
            using var rewards = await _http.PostAsJsonAsync(url + "/v1/rewards", new { items = new[] { item } });
            if (!rewards.IsSuccessStatusCode) return false;
            using var doc = JsonDocument.Parse(await rewards.Content.ReadAsStringAsync());
            return doc.RootElement.GetProperty("results")[0].GetProperty("score").ValueKind == JsonValueKind.Number
                   && doc.RootElement.GetProperty("results")[0].GetProperty("score").GetDouble() == 1.0;
        }
        using var response = await _http.PostAsJsonAsync(url + "/run_code", new { code = source, language = workload, stdin, run_timeout = 5 });
        var text = await response.Content.ReadAsStringAsync();
        var ok = response.IsSuccessStatusCode;
        if (ok)
        {
            using var body = JsonDocument.Parse(text);
            ok = body.RootElement.GetProperty("status").GetString() == "Success"
                 && body.RootElement.GetProperty("run_result").GetProperty("stdout").GetString() == expected;
        }
        if (!ok) Interlocked.CompareExchange(ref _firstWrong, $"{(int)response.StatusCode} {text}", null);
        return ok;
    }

    /// <summary>One baseline run: a cold bubblewrap sandbox around the interpreter (or binary), or the bare process.</summary>
    public Task<bool> ProcessRunAsync(string workload, bool cold, int i, bool noSite = false)
    {
        var (source, stdin, expected) = Case(workload == "rewards" ? "python" : workload, i);
        string[] program = workload == "cpp" ? [cold ? "/box/main" : _cppBinary]
            : cold && !noSite ? ["/usr/bin/python3", "-c", source] : ["/usr/bin/python3", "-S", "-c", source];
        if (!cold) return CgExecExpectAsync("bare", stdin, expected, program);
        string[] bwrap =
        [
            "/usr/bin/bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--ro-bind", Work, "/box", "--chdir", "/tmp", "--",
        ];
        return CgExecExpectAsync(noSite ? "cold-s" : "cold", stdin, expected, [.. bwrap, .. program]);
    }

    private async Task<bool> CgExecExpectAsync(string cgroup, string stdin, string expected, string[] argv) =>
        await ExecInCgroupAsync(cgroup, stdin, argv) == expected;

    /// <summary>Runs a command in a path's cgroup; true when its stdout starts with the expected text.</summary>
    public async Task<bool> CgExecAsync(string cgroup, string expected, params string[] argv) =>
        (await ExecInCgroupAsync(cgroup, "", argv)).StartsWith(expected, StringComparison.Ordinal);

    private async Task<string> ExecInCgroupAsync(string cgroup, string stdin, string[] argv)
    {
        var psi = new ProcessStartInfo(_cgexec) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Procs(cgroup));
        foreach (var a in argv) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        await stderr;
        return await stdout;
    }

    private static async Task Run(string exe, params string[] args)
    {
        using var p = Process.Start(exe, args);
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} failed with {p.ExitCode}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _servers)
        {
            // SIGTERM: the server shuts down its zygotes and removes its cgroups, so the bench's cgroups can go too.
            using (var term = Process.Start("/bin/kill", ["-TERM", s.Id.ToString(CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
            await Task.WhenAny(s.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30)));
            if (!s.HasExited) s.Kill(entireProcessTree: true);
            s.Dispose();
        }
        _http.Dispose();
        await Task.Delay(500);
        foreach (var p in Paths)
        {
            try { Directory.Delete(Path.Combine(_cgroupRoot, p)); } catch (IOException) { }
        }
        try { Directory.Delete(_cgroupRoot); } catch (IOException) { }
        try { Directory.Delete(Work, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
