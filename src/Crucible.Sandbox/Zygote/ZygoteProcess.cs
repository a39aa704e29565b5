using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;

namespace Crucible.Sandbox.Zygote;

/// <summary>
/// One running zygote (src/Crucible.Sandbox/Zygote/zygote.py) and its control socket. Many runs are in flight at
/// once; replies carry the run's id. When the zygote dies or says something unexpected it is broken: every run in
/// flight ends as a sandbox failure (the zygote's death is the evidence) and the next run gets a new zygote.
/// </summary>
internal sealed class ZygoteProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly RunCgroup _cgroup;
    private readonly Socket _listener;
    private readonly Socket _control;
    private readonly string _root;
    private readonly string _statusFile;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<ExitStatus>> _pending = new();
    private readonly Lock _sendLock = new();
    private long _nextId;
    private int _disposed;

    private ZygoteProcess(string flavour, Process process, RunCgroup cgroup, Socket listener, Socket control, string root, string statusFile)
    {
        Flavour = flavour;
        _process = process;
        _cgroup = cgroup;
        _listener = listener;
        _control = control;
        _root = root;
        _statusFile = statusFile;
    }

    public string Flavour { get; }
    public bool Broken { get; private set; }
    public string? BrokenReason { get; private set; }
    public long RunsStarted => Interlocked.Read(ref _nextId);
    public int InFlight => _pending.Count;

    // Ids of the warm runners among the requests in flight: they live as long as their sessions, not a run.
    private readonly ConcurrentDictionary<long, byte> _runners = new();

    /// <summary>Runs in flight, not counting warm runners (which may sit idle for a session's whole life).</summary>
    public int RunsInFlight => Math.Max(0, _pending.Count - _runners.Count);
    public DateTime LastUsed { get; private set; } = DateTime.UtcNow;

    /// <summary>Host pids of the zygote's own processes (bubblewrap and the zygote).</summary>
    public IReadOnlyList<int> Pids => _cgroup.Pids();

    // CAP_IPC_LOCK: the pages a Python zygote pins for its runs (hot_pages.c) are then not charged to root's
    // RLIMIT_MEMLOCK, which every root process on the host shares (8 MiB by default, ~1 MiB per zygote): with several
    // servers on one host, later zygotes would run unpinned, twice as slow per run. Runs hold no capability.
    internal static readonly string[] Capabilities = ["CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP", "CAP_SYS_NICE", "CAP_IPC_LOCK"];

    /// <summary>The modules this zygote imported at start, besides its flavour's own (see SandboxPool.PreloadPythonModule).</summary>
    public IReadOnlyList<string> PreloadedModules { get; private init; } = [];

    public static async Task<ZygoteProcess> StartAsync(SandboxRunner launcher, RunCgroup cgroup, string root, string flavour, string scriptDirectory,
        string? cacheDirectory, IReadOnlyList<string> extraPaths, IReadOnlyDictionary<string, string> environment, ResourceLimits limits, CancellationToken ct,
        IReadOnlyList<string>? preloadModules = null)
    {
        var box = Path.Combine(root, "box");
        var io = Path.Combine(root, "io");
        Directory.CreateDirectory(box);
        Directory.CreateDirectory(io);
        var socketPath = Path.Combine(io, "ctl.sock");
        var listener = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        Process? process = null;
        var statusFile = launcher.NewStatusFile();
        try
        {
            ControlSocket.Bind(listener, socketPath);
            listener.Listen(1);
            List<(string, string, bool)> binds = [(io, "/io", true), (scriptDirectory, "/runner", false)];
            if (cacheDirectory is not null) binds.Add((cacheDirectory, "/cache", false));
            process = launcher.StartLongLived(new SandboxCommand
            {
                Argv = ["/usr/bin/python3", "/runner/zygote.py", flavour, .. preloadModules ?? []],
                Uid = 0,
                Limits = limits,
                BoxDirectory = box,
                ExtraReadOnlyPaths = extraPaths,
                ExtraBinds = binds,
                // Every symbol the interpreter and its libraries use is bound once, here, instead of lazily in each
                // run's process (a page of the GOT copied and the dynamic linker's lookup per first call, per run).
                // zygote.py removes the variable again before any run, so no program sees it.
                Environment = new Dictionary<string, string>(environment) { ["LD_BIND_NOW"] = "1" },
                KeepCapabilities = Capabilities,
            }, cgroup, statusFile);
            process.StandardInput.Close();
            _ = WarmRunner.DrainAsync(process.StandardOutput.BaseStream);
            var stderr = StreamTail.Start(process.StandardError.BaseStream);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(StartTimeout);
            var control = await listener.AcceptAsync(timeout.Token).ConfigureAwait(false);
            var buffer = new byte[4096];
            var n = await control.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            using (var ready = n > 0 ? JsonDocument.Parse(buffer.AsMemory(0, n)) : null)
                if (ready is null || !ready.RootElement.TryGetProperty("ready", out _))
                {
                    control.Dispose();
                    throw new IOException("zygote did not report ready");
                }
            var zygote = new ZygoteProcess(flavour, process, cgroup, listener, control, root, statusFile) { _stderr = stderr, PreloadedModules = preloadModules ?? [] };
            _ = zygote.ReceiveLoopAsync();
            return zygote;
        }
        catch
        {
            try { process?.Kill(); } catch (InvalidOperationException) { }
            cgroup.KillAll();
            process?.Dispose();
            listener.Dispose();
            try { File.Delete(statusFile); } catch (IOException) { }
            throw;
        }
    }

    // The zygote's stderr, read to its end; its last lines go into the reason when it dies.
    private StreamTail? _stderr;

    /// <summary>
    /// Asks for one run; the task completes with the program's wait status (or a set-up failure). Null when this
    /// zygote is already broken or retired: nothing was sent, so the run can go elsewhere.
    /// </summary>
    public Task<ExitStatus>? TryStart(ZygoteRequest request, ReadOnlySpan<int> fds)
    {
        // Under the lock that retirement takes too: a zygote is never disposed between the check and the send of a
        // run it accepted, which would fail that run for nothing it did.
        lock (_sendLock)
        {
            if (Broken || _retired) return null;
            var id = Interlocked.Increment(ref _nextId);
            LastUsed = DateTime.UtcNow;
            var done = new TaskCompletionSource<ExitStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending[id] = done;
            if (request.Runner) _runners[id] = 0;
            try
            {
                Libc.SendWithFds((int)_control.Handle, request.Encode(id), fds);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The request never reached the zygote: nothing ran, so the run can go elsewhere.
                _pending.TryRemove(id, out _);
                _runners.TryRemove(id, out _);
                MarkBroken("send: " + e.Message);
                return null;
            }
            return done.Task;
        }
    }

    private bool _retired;

    /// <summary>Takes no new run from now on; returns how many runs it still has in flight.</summary>
    public int StopTakingRuns()
    {
        lock (_sendLock)
        {
            _retired = true;
            return _pending.Count;
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[8192];
        try
        {
            while (true)
            {
                var n = await _control.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                {
                    // Whatever the zygote wrote last (a traceback) says why; its stderr ends with it, or soon after.
                    if (_stderr is { } tail) await Task.WhenAny(tail.Completion, Task.Delay(500)).ConfigureAwait(false);
                    await Task.WhenAny(_process.WaitForExitAsync(), Task.Delay(500)).ConfigureAwait(false);
                    var exit = _process.HasExited ? $", exit status {_process.ExitCode}" : "";
                    MarkBroken("zygote closed its control socket" + exit + (_stderr?.Text is { Length: > 0 } why ? ": " + why : ""));
                    return;
                }
                using var reply = JsonDocument.Parse(buffer.AsMemory(0, n));
                var root = reply.RootElement;
                if (!root.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.Number
                    || !_pending.TryRemove(idElement.GetInt64(), out var done))
                {
                    MarkBroken("zygote replied for no run in flight");
                    return;
                }
                _runners.TryRemove(idElement.GetInt64(), out _);
                if (root.TryGetProperty("exit", out var e)) done.TrySetResult(new ExitStatus(e.GetInt32(), null, null));
                else if (root.TryGetProperty("signal", out var s)) done.TrySetResult(new ExitStatus(null, s.GetInt32(), null));
                else if (root.TryGetProperty("killed", out var k))
                    done.TrySetResult(ExitStatus.Failed($"the run's sandbox was killed from outside (signal {k.GetInt32()})"));
                else done.TrySetResult(ExitStatus.Failed("zygote could not set up the run: " + (root.TryGetProperty("error", out var why) ? why.GetString() : "no reason")));
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or JsonException or InvalidOperationException or FormatException)
        {
            MarkBroken("receive: " + e.Message);
        }
    }

    private void MarkBroken(string why)
    {
        BrokenReason ??= why;
        Broken = true;
        _runners.Clear();
        foreach (var id in _pending.Keys)
            if (_pending.TryRemove(id, out var done)) done.TrySetResult(ExitStatus.Failed($"zygote died during the run ({BrokenReason})"));
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        MarkBroken("disposed");
        try { _process.Kill(); } catch (InvalidOperationException) { } catch (System.ComponentModel.Win32Exception) { }
        _cgroup.Dispose();
        _control.Dispose();
        _listener.Dispose();
        _process.Dispose();
        try { File.Delete(_statusFile); } catch (IOException) { }
        try { Directory.Delete(_root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
