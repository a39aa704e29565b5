using System.Diagnostics;
using System.Globalization;
using System.IO.Pipes;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Crucible.Sandbox;

/// <summary>
/// A long-lived sandboxed process for one session that forks a child per run, so a run pays a fork instead of a
/// sandbox set-up and (for Python) an interpreter start. The child is moved into a fresh per-run cgroup before it
/// runs any submitted code, gets the run's rlimits and the host's own pipes (passed with SCM_RIGHTS), and is judged
/// by the same <see cref="RunSupervisor"/> as a cold run. Anything unexpected marks the runner broken; the session
/// then falls back to a cold run, so an attack on the runner only ever costs speed.
/// </summary>
internal sealed partial class WarmRunner : IDisposable
{
    private static readonly TimeSpan ControlTimeout = TimeSpan.FromSeconds(10);
    private readonly Action _stop;
    private readonly RunCgroup _cgroup;
    private readonly Socket _control;
    private readonly int _runnerPid;
    private readonly CgroupRuntime _cgroups;
    private readonly string _root;
    private readonly byte[] _receiveBuffer = new byte[4096];
    private int _disposed;

    /// <param name="stop">Ends what started the runner (its bubblewrap launcher) before its cgroup is swept; a
    /// zygote-started runner has nothing of its own beyond the cgroup.</param>
    private WarmRunner(Action stop, RunCgroup cgroup, Socket control, int runnerPid, CgroupRuntime cgroups, string root, uint uid, SessionWorkDir work, bool fromZygote)
    {
        _stop = stop;
        _cgroup = cgroup;
        _control = control;
        _runnerPid = runnerPid;
        _cgroups = cgroups;
        _root = root;
        Uid = uid;
        Work = work;
        FromZygote = fromZygote;
    }

    /// <summary>True when the runner was forked from a zygote rather than started in a bubblewrap sandbox of its own.</summary>
    public bool FromZygote { get; }

    public uint Uid { get; }
    public SessionWorkDir Work { get; }
    public string BoxDirectory => Path.Combine(_root, "box");
    public bool Broken { get; private set; }

    /// <summary>Host pids of the runner's own processes (bubblewrap and the runner), for tests that audit leftovers.</summary>
    internal IReadOnlyList<int> OwnPids => Broken ? [] : _cgroup.Pids();
    public int RunsServed { get; private set; }

    /// <summary>Why the runner broke, for diagnostics.</summary>
    public string? BrokenReason { get; private set; }

    public static async Task<WarmRunner> StartAsync(SandboxRunner launcher, CgroupRuntime cgroups, string root, string scriptDirectory,
        uint uid, SessionWorkDir work, IReadOnlyList<string> extraPaths, IReadOnlyDictionary<string, string> environment,
        ResourceLimits runnerLimits, CancellationToken cancellationToken)
    {
        var box = Path.Combine(root, "box");
        var io = Path.Combine(root, "io");
        Directory.CreateDirectory(box);
        Directory.CreateDirectory(io);
        var socketPath = Path.Combine(io, "ctl.sock");
        var listener = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        RunCgroup? cg = null;
        Process? process = null;
        var statusFile = launcher.NewStatusFile();
        try
        {
            ControlSocket.Bind(listener, socketPath);
            listener.Listen(1);
            File.SetUnixFileMode(socketPath, (UnixFileMode)0b110_110_110);
            cg = cgroups.CreateRun(runnerLimits) ?? throw new IOException("warm runners need cgroups");
            var command = new SandboxCommand
            {
                Argv = ["/usr/bin/python3", "/runner/warm_runner.py"],
                Uid = uid,
                Limits = runnerLimits,
                BoxDirectory = box,
                WorkDirectory = work.Path,
                // The runner's /tmp lives as long as the runner, so it must be in the session's inode-capped tmpfs.
                TmpDirectory = work.NewRunTmp(),
                ExtraReadOnlyPaths = extraPaths,
                // Read-only: connecting to a socket needs no write access to its mount, and the program must not
                // be able to store anything in a host directory.
                ExtraBinds = [(io, "/io", false), (scriptDirectory, "/runner", false)],
                Environment = environment,
            };
            process = launcher.StartLongLived(command, cg, statusFile);
            process.StandardInput.Close();
            _ = DrainAsync(process.StandardOutput.BaseStream);
            _ = DrainAsync(process.StandardError.BaseStream);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ControlTimeout);
            var control = await listener.AcceptAsync(timeout.Token).ConfigureAwait(false);
            // The runner is connected: nothing else may ever reach the listener (a program that connected could park
            // its own stdout there, so the host would never see end-of-file). Close it and remove its name.
            listener.Dispose();
            File.Delete(socketPath);
            var launched = process;
            void Stop()
            {
                try { launched.Kill(); } catch (InvalidOperationException) { } catch (System.ComponentModel.Win32Exception) { }
                launched.Dispose();
                try { File.Delete(statusFile); } catch (IOException) { }
            }
            var runner = new WarmRunner(Stop, cg, control, 0, cgroups, root, uid, work, fromZygote: false);
            var ready = await runner.ReceiveAsync(timeout.Token).ConfigureAwait(false);
            if (ready is null || !ready.RootElement.TryGetProperty("ready", out _))
                throw new IOException("warm runner did not report ready");
            ready.Dispose();
            var pid = cg.Pids().FirstOrDefault(p => UidOf(p) == uid);
            if (pid == 0) throw new IOException("warm runner process not found in its cgroup");
            return new WarmRunner(Stop, cg, control, pid, cgroups, root, uid, work, fromZygote: false);
        }
        catch
        {
            try { process?.Kill(); } catch (InvalidOperationException) { }
            cg?.Dispose();
            process?.Dispose();
            listener.Dispose();
            try { File.Delete(statusFile); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>Makes the session's program available to the runner: copies the artifact into /box and loads it.</summary>
    public async Task AttachAsync(string artifactDirectory, string mode, IReadOnlyList<string> argv, CancellationToken cancellationToken)
    {
        foreach (var file in Directory.EnumerateFiles(artifactDirectory, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(artifactDirectory, file);
            if (rel.StartsWith(".crucible", StringComparison.Ordinal)) continue;
            var dest = Path.Combine(BoxDirectory, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest, overwrite: true);
        }
        var reply = await RequestAsync(JsonSerializer.SerializeToUtf8Bytes(new { op = "load", mode, argv }), cancellationToken).ConfigureAwait(false);
        using (reply)
            if (reply is null || !reply.RootElement.TryGetProperty("ok", out _)) throw new IOException("warm runner refused to load the program");
    }

    /// <summary>
    /// Runs the loaded program once. Null means the runner misbehaved (died, stopped, lied about its child): the
    /// caller must run the request cold, which decides the verdict exactly.
    /// </summary>
    public async Task<RunResult?> RunAsync(IReadOnlyList<string> args, ResourceLimits limits, ReadOnlyMemory<byte> stdin, CancellationToken cancellationToken)
    {
        if (Broken) return null;
        RunCgroup? cg;
        try { cg = _cgroups.CreateRun(limits); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return RunResult.SandboxFailure($"could not create the run's cgroup: {e.Message}"); }
        if (cg is null) return null;
        var stdinPipe = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.None);
        var stdoutPipe = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
        var stderrPipe = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
        WarmProgram? program = null;
        try
        {
            var request = JsonSerializer.SerializeToUtf8Bytes(new
            {
                op = "run",
                args,
                rlimits = RunRlimits.For(limits).ToDictionary(r => r.Name, r => new[] { r.Soft, r.Hard }),
            });
            try
            {
                Libc.SendWithFds((int)_control.Handle, request,
                [
                    (int)stdinPipe.ClientSafePipeHandle.DangerousGetHandle(),
                    (int)stdoutPipe.ClientSafePipeHandle.DangerousGetHandle(),
                    (int)stderrPipe.ClientSafePipeHandle.DangerousGetHandle(),
                ]);
            }
            catch (IOException e)
            {
                MarkBroken("send: " + e.Message);
                return null;
            }
            stdinPipe.DisposeLocalCopyOfClientHandle();
            stdoutPipe.DisposeLocalCopyOfClientHandle();
            stderrPipe.DisposeLocalCopyOfClientHandle();

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ControlTimeout);
            int nsPid;
            using (var forked = await ReceiveAsync(timeout.Token).ConfigureAwait(false))
            {
                if (forked is null || !forked.RootElement.TryGetProperty("pid", out var p)) { MarkBroken("no pid reply"); return null; }
                nsPid = p.GetInt32();
            }
            var child = FindChild(nsPid);
            if (child == 0) { MarkBroken("forked child not found"); return null; }
            cg.Adopt(child);
            if (!await SendAsync("{\"op\":\"go\"}"u8.ToArray()).ConfigureAwait(false)) return null;
            var wall = Stopwatch.StartNew();
            program = new WarmProgram(this, stdinPipe, stdoutPipe, stderrPipe, cg);
            var result = await RunSupervisor.SuperviseAsync(program, cg, limits, stdin, wall, cancellationToken).ConfigureAwait(false);
            if (program.Anomalous) { MarkBroken("runner did not report its child's end"); return null; }
            RunsServed++;
            return result;
        }
        catch (Exception e) when (e is IOException or SocketException or JsonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            MarkBroken(e.Message);
            return null;
        }
        finally
        {
            cg.Dispose();
            stdinPipe.Dispose();
            stdoutPipe.Dispose();
            stderrPipe.Dispose();
        }
    }

    private void MarkBroken(string why)
    {
        Broken = true;
        BrokenReason ??= why;
    }

    private int FindChild(int nsPid)
    {
        var tid = _runnerPid.ToString(CultureInfo.InvariantCulture);
        string children;
        try { children = File.ReadAllText($"/proc/{tid}/task/{tid}/children"); }
        catch (IOException) { return 0; }
        foreach (var token in children.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                foreach (var line in File.ReadLines($"/proc/{token}/status"))
                {
                    if (!line.StartsWith("NSpid:", StringComparison.Ordinal)) continue;
                    var last = line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[^1];
                    if (last == nsPid.ToString(CultureInfo.InvariantCulture)) return pid;
                    break;
                }
            }
            catch (IOException) { }
        }
        return 0;
    }

    private static uint UidOf(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                    return uint.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        return uint.MaxValue;
    }

    private async Task<JsonDocument?> RequestAsync(byte[] message, CancellationToken cancellationToken)
    {
        if (!await SendAsync(message).ConfigureAwait(false)) return null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ControlTimeout);
        return await ReceiveAsync(timeout.Token).ConfigureAwait(false);
    }

    private async Task<bool> SendAsync(byte[] message)
    {
        try
        {
            await _control.SendAsync(message, SocketFlags.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            MarkBroken("send: " + e.Message);
            return false;
        }
    }

    internal async Task<JsonDocument?> ReceiveAsync(CancellationToken cancellationToken)
    {
        int n;
        try { n = await _control.ReceiveAsync(_receiveBuffer, SocketFlags.None, cancellationToken).ConfigureAwait(false); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            MarkBroken("receive: " + e.Message);
            return null;
        }
        if (n == 0) { MarkBroken("runner closed its control socket"); return null; }
        return JsonDocument.Parse(_receiveBuffer.AsMemory(0, n));
    }

    /// <summary>Reads a launcher's stdout/stderr to the end so it never blocks on a full pipe (zygotes use it too).</summary>
    internal static async Task DrainAsync(Stream stream)
    {
        var buffer = new byte[4096];
        try { while (await stream.ReadAsync(buffer).ConfigureAwait(false) > 0) { } }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Broken = true;
        _stop();
        _cgroup.Dispose();
        _control.Dispose();
        try { Directory.Delete(_root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>The forked child, as the supervisor sees it.</summary>
    private sealed class WarmProgram(WarmRunner runner, AnonymousPipeServerStream stdin, AnonymousPipeServerStream stdout, AnonymousPipeServerStream stderr, RunCgroup cg) : RunningProgram
    {
        private readonly TaskCompletionSource<ExitStatus> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Task? _receiving;
        public bool Anomalous { get; private set; }
        public override Stream Stdin => stdin;
        public override Stream Stdout => stdout;
        public override Stream Stderr => stderr;

        public override Task<ExitStatus> Exited
        {
            get
            {
                _receiving ??= ReceiveExitAsync();
                return _exit.Task;
            }
        }

        private async Task ReceiveExitAsync()
        {
            using var reply = await runner.ReceiveAsync(CancellationToken.None).ConfigureAwait(false);
            if (reply is null) { Anomalous = true; _exit.TrySetResult(ExitStatus.Failed("warm runner died")); return; }
            var root = reply.RootElement;
            if (root.TryGetProperty("signal", out var s)) _exit.TrySetResult(new ExitStatus(null, s.GetInt32(), null));
            else if (root.TryGetProperty("exit", out var e)) _exit.TrySetResult(new ExitStatus(e.GetInt32(), null, null));
            else { Anomalous = true; _exit.TrySetResult(ExitStatus.Failed("warm runner sent an unexpected reply")); }
        }

        public override void Kill()
        {
            cg.KillAll();
            // A stopped or dead runner never reports; give it a moment, then give up on it. Anomalous is set before
            // the result: the supervisor's continuation may run (on another thread) as soon as the result is set, and
            // must see the runner as broken. A report arriving in the same instant costs at most a cold re-run.
            _ = Task.Delay(TimeSpan.FromSeconds(1)).ContinueWith(_ =>
            {
                if (_exit.Task.IsCompleted) return;
                Anomalous = true;
                _exit.TrySetResult(ExitStatus.Failed("warm runner did not report"));
            }, TaskScheduler.Default);
        }

        public override void Dispose() { }
    }
}
