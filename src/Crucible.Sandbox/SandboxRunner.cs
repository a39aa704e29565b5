using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Crucible.Sandbox;

/// <summary>
/// Executes one <see cref="SandboxCommand"/>: a shell launcher joins the run's cgroups and sets rlimits, then
/// execs bubblewrap, which builds the namespaces and drops to the session's uid with setpriv. The host watches
/// CPU time (whole tree, from the cgroup), wall time and output size, and kills the whole tree on any limit.
/// </summary>
internal sealed class SandboxRunner(SandboxOptions options, CgroupRuntime cgroups, string stateRoot)
{
    private static long _runCounter;
    private static readonly string[] SystemLinks = ["bin", "sbin", "lib", "lib64", "lib32", "libx32"];
    private static readonly string[] EtcFiles =
        ["ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "localtime", "nsswitch.conf", "java-17-openjdk", "java-21-openjdk", "ssl/openssl.cnf"];

    public bool Privileged { get; } = Libc.IsRoot;

    /// <summary>The assembled seccomp filter (see Seccomp/), loaded by bubblewrap into every sandbox but a zygote; null: none.</summary>
    public string? SeccompFilterPath { get; set; }

    private string? SeccompFor(SandboxCommand command) => command.KeepCapabilities is null ? SeccompFilterPath : null;

    public async Task<RunResult> ExecuteAsync(SandboxCommand command, CancellationToken cancellationToken)
    {
        RunCgroup? cg = null;
        ColdProgram? program = null;
        var statusFile = NewStatusFile();
        try
        {
            try { cg = cgroups.CreateRun(command.Limits); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return RunResult.SandboxFailure($"could not create the run's cgroup: {e.Message}");
            }
            var psi = BuildStartInfo(command, cg, statusFile);
            var wall = Stopwatch.StartNew();
            Process process;
            try
            {
                process = LauncherThread.Start(psi);
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
            {
                return RunResult.SandboxFailure($"could not start the sandbox launcher: {e.Message}");
            }
            program = new ColdProgram(process, cg, statusFile);
            command.OnStarted?.Invoke(process.Id);
            return await RunSupervisor.SuperviseAsync(program, cg, command.Limits, command.Stdin, wall, cancellationToken, options.HostCpuWatchdog).ConfigureAwait(false);
        }
        finally
        {
            program?.Dispose();
            cg?.Dispose();
            try { File.Delete(statusFile); } catch (IOException) { }
        }
    }

    /// <summary>Starts a long-lived sandboxed process (a warm runner) in the given cgroup; the caller owns it.</summary>
    internal Process StartLongLived(SandboxCommand command, RunCgroup? cg, string statusFile) =>
        LauncherThread.Start(BuildStartInfo(command, cg, statusFile, longLived: true));

    internal string NewStatusFile() =>
        Path.Combine(stateRoot, "runs", ProcessStamp.Current + "-" + Interlocked.Increment(ref _runCounter).ToString(CultureInfo.InvariantCulture) + ".json");

    /// <summary>A program started by a fresh bubblewrap; bubblewrap's status record tells set-up failures apart.</summary>
    private sealed class ColdProgram(Process process, RunCgroup? cg, string statusFile) : RunningProgram
    {
        private Task<ExitStatus>? _exited;
        public override Stream Stdin => process.StandardInput.BaseStream;
        public override Stream Stdout => process.StandardOutput.BaseStream;
        public override Stream Stderr => process.StandardError.BaseStream;
        public override Task<ExitStatus> Exited => _exited ??= WaitAsync();

        private async Task<ExitStatus> WaitAsync()
        {
            await process.WaitForExitAsync().ConfigureAwait(false);
            var exit = ReadExitCode(statusFile);
            if (exit is null) return ExitStatus.Failed($"bubblewrap failed to set up the sandbox (exit {process.ExitCode})");
            return exit.Value > 128 && exit.Value < 160 ? new ExitStatus(null, exit.Value - 128, null) : new ExitStatus(exit.Value, null, null);
        }

        public override void Kill()
        {
            // Killing bwrap takes the whole pid namespace with it (die-with-parent); the cgroup sweep catches the rest.
            try { process.Kill(); } catch (InvalidOperationException) { } catch (System.ComponentModel.Win32Exception) { }
            cg?.KillAll();
        }

        public override void Dispose()
        {
            try
            {
                if (!process.HasExited) Kill();
            }
            catch (InvalidOperationException) { }
            process.Dispose();
        }
    }

    private ProcessStartInfo BuildStartInfo(SandboxCommand command, RunCgroup? cg, string statusFile, bool longLived = false)
    {
        var limits = command.Limits;
        var script = new StringBuilder();
        AppendCloseInheritedDescriptors(script);
        if (cg is not null)
            foreach (var f in cg.ProcsFiles) script.Append("echo $$ > ").Append(Quote(f)).Append(" || exit 125\n");
        // Bubblewrap (and a warm runner) should never be the OOM killer's choice, whatever the program charges to the
        // run's memory; the program itself is raised to the top of the list inside the sandbox (ProgramPrefix).
        // Lowering needs CAP_SYS_RESOURCE, which some containers withhold: then this is skipped, and a sandbox killed
        // at the memory limit is still judged MemoryLimitExceeded by VerdictRules.
        if (Privileged) script.Append("{ echo -1000 > /proc/self/oom_score_adj; } 2>/dev/null\n");
        var cpuSeconds = (long)Math.Ceiling(limits.CpuTime.TotalSeconds) + 1;
        var stackKb = Math.Min(limits.MemoryBytes / 1024, 1L << 20);
        script.Append("ulimit -c 0\n");
        // Soft below hard: the kernel's CPU limit announces itself with SIGXCPU (read as TimeLimitExceeded), and
        // SIGKILL follows a second later only for a program that ignores it.
        script.Append(CultureInfo.InvariantCulture, $"ulimit -t {cpuSeconds + 1}\nulimit -St {cpuSeconds}\n");
        script.Append(CultureInfo.InvariantCulture, $"ulimit -f {Math.Max(1, limits.MaxFileBytes / 512)}\n");
        script.Append(CultureInfo.InvariantCulture, $"ulimit -n {limits.MaxOpenFiles}\n");
        script.Append(CultureInfo.InvariantCulture, $"ulimit -s {stackKb}\n");
        if (cg is null)
        {
            // Without cgroups the limits are per process: weaker, and reported so by SandboxPool.Isolation.
            script.Append(CultureInfo.InvariantCulture, $"ulimit -v {limits.MemoryBytes / 1024}\n");
        }
        script.Append("exec 3>").Append(Quote(statusFile)).Append('\n');
        if (SeccompFor(command) is { } filter) script.Append("exec 4<").Append(Quote(filter)).Append(" || exit 125\n");
        script.Append("exec \"$@\"\n");

        var psi = new ProcessStartInfo("/bin/bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment.Clear();
        psi.Environment["PATH"] = "/usr/bin:/bin";
        psi.ArgumentList.Add("--norc");
        psi.ArgumentList.Add("--noprofile");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script.ToString());
        psi.ArgumentList.Add("crucible-launch");
        foreach (var a in BubblewrapArgs(command, longLived ? [] : ProgramPrefix())) psi.ArgumentList.Add(a);
        return psi;
    }

    /// <summary>
    /// Closes every descriptor above 2 that this process let its child inherit (anything opened without O_CLOEXEC,
    /// by us or by a library), before bubblewrap starts: the program must not reach a file the host happened to
    /// hold open. Bash, because dash cannot name descriptors above 9. The status descriptor is opened afterwards.
    /// </summary>
    private static void AppendCloseInheritedDescriptors(StringBuilder script) =>
        script.Append("for f in /proc/$$/fd/*; do f=${f##*/}; case $f in 0|1|2) ;; *) eval \"exec $f>&-\" ;; esac; done\n");

    /// <summary>
    /// Runs first inside the sandbox, still as root: marks the program as the OOM killer's first choice, and (run
    /// by root) makes that the lowest score it can set itself, so it cannot hide behind bubblewrap.
    /// </summary>
    private string[] ProgramPrefix() =>
        [.. SignalReset.Value, .. Privileged && File.Exists(options.ChoomPath) ? [options.ChoomPath, "-n", "1000", "--"] : Array.Empty<string>()];

    /// <summary>
    /// Every signal back to its default before the program starts: this process (.NET) ignores SIGPIPE and bubblewrap
    /// and setpriv pass that on, so a compiled program started cold found SIGPIPE ignored where a zygote's or a warm
    /// runner's found it at its default. Empty where <c>env</c> cannot (coreutils before 8.31).
    /// </summary>
    private static readonly Lazy<string[]> SignalReset = new(() =>
    {
        const string env = "/usr/bin/env";
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(env, ["--default-signal", "true"]) { UseShellExecute = false, RedirectStandardError = true });
            if (probe is null) return [];
            probe.StandardError.ReadToEnd();
            probe.WaitForExit();
            return probe.ExitCode == 0 ? [env, "--default-signal"] : [];
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return [];
        }
    });

    internal IEnumerable<string> BubblewrapArgs(SandboxCommand command, IReadOnlyList<string> programPrefix)
    {
        var a = new List<string> { options.BubblewrapPath };
        if (Privileged)
            a.AddRange(["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]);
        else
            a.AddRange(["--unshare-all", "--uid", command.Uid.ToString(CultureInfo.InvariantCulture), "--gid", command.Uid.ToString(CultureInfo.InvariantCulture)]);
        a.AddRange(["--die-with-parent", "--new-session", "--hostname", "sandbox", "--json-status-fd", "3"]);
        if (SeccompFor(command) is not null) a.AddRange(["--seccomp", "4"]);
        a.AddRange(["--ro-bind", "/usr", "/usr"]);
        foreach (var l in SystemLinks)
        {
            var host = "/" + l;
            var fi = new FileInfo(host);
            if (fi.LinkTarget is { } target) a.AddRange(["--symlink", target, host]);
            else if (Directory.Exists(host)) a.AddRange(["--ro-bind", host, host]);
        }
        var made = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in EtcFiles)
        {
            var host = "/etc/" + e;
            if (!File.Exists(host) && !Directory.Exists(host)) continue;
            AddParents(a, made, host);
            a.AddRange(["--ro-bind", host, host]);
        }
        a.AddRange(["--proc", "/proc", "--dev", "/dev"]);
        if (command.TmpDirectory is { } tmp) a.AddRange(["--bind", tmp, "/tmp"]);
        else a.AddRange(["--size", command.Limits.TmpBytes.ToString(CultureInfo.InvariantCulture), "--perms", "1777", "--tmpfs", "/tmp"]);
        foreach (var p in command.ExtraReadOnlyPaths)
        {
            // Parents of a toolchain outside /usr (e.g. /root/.rustup) are created traversable, and only the toolchain is visible.
            AddParents(a, made, p);
            a.AddRange(["--ro-bind", p, p]);
        }
        a.AddRange([command.BoxWritable ? "--bind" : "--ro-bind", command.BoxDirectory, "/box"]);
        foreach (var (host, inside, writable) in command.ExtraBinds) a.AddRange([writable ? "--bind" : "--ro-bind", host, inside]);
        if (command.WorkDirectory is not null) a.AddRange(["--bind", command.WorkDirectory, "/work", "--chdir", "/work"]);
        else a.AddRange(["--chdir", "/box"]);
        a.Add("--clearenv");
        var env = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["HOME"] = "/tmp",
            ["TMPDIR"] = "/tmp",
            ["LANG"] = "C.UTF-8",
            ["LC_ALL"] = "C.UTF-8",
        };
        foreach (var (k, v) in command.Environment) env[k] = v;
        foreach (var (k, v) in env) a.AddRange(["--setenv", k, v]);
        if (Privileged && command.KeepCapabilities is { } caps)
        {
            a.AddRange(["--cap-drop", "ALL"]);
            foreach (var cap in caps) a.AddRange(["--cap-add", cap]);
            a.Add("--");
        }
        else if (Privileged)
        {
            var id = command.Uid.ToString(CultureInfo.InvariantCulture);
            a.Add("--");
            a.AddRange(programPrefix);
            a.AddRange([options.SetprivPath, "--reuid", id, "--regid", id, "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]);
        }
        else
        {
            a.AddRange(["--cap-drop", "ALL", "--"]);
            a.AddRange(programPrefix);
        }
        a.AddRange(command.Argv);
        return a;
    }

    /// <summary>bwrap would create missing parents of a bind target owner-only; make them traversable for the sandbox uid.</summary>
    private static void AddParents(List<string> args, HashSet<string> made, string path)
    {
        var parents = new Stack<string>();
        for (var parent = Path.GetDirectoryName(path); !string.IsNullOrEmpty(parent) && parent != "/"; parent = Path.GetDirectoryName(parent))
            parents.Push(parent);
        foreach (var d in parents)
            if (made.Add(d)) args.AddRange(["--perms", "0755", "--dir", d]);
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static int? ReadExitCode(string file)
    {
        int? exit = null;
        try
        {
            foreach (var line in File.ReadLines(file))
            {
                using var doc = System.Text.Json.JsonDocument.Parse(line);
                if (doc.RootElement.TryGetProperty("exit-code", out var e)) exit = e.GetInt32();
            }
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException) { }
        return exit;
    }

}
