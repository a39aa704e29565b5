using System.Diagnostics;
using System.IO.Pipes;
using System.Text;

namespace Crucible.Sandbox.Zygote;

/// <summary>
/// Single-shot execution through per-flavour zygotes: Python (lean), Python with NumPy preloaded, and an exec
/// zygote for compiled artifacts. A run costs one fork of a ready interpreter plus the namespace primitives; nothing
/// is written to the host's file system on the request path. Anything the zygote path cannot serve (or a zygote
/// that cannot start) returns null and the caller uses the cold path, which stays the reference.
/// </summary>
internal sealed class Zygotes : IDisposable
{
    private const int MaxStartFailures = 3;
    private readonly SandboxRunner _launcher;
    private readonly CgroupRuntime _cgroups;
    private readonly SandboxOptions _options;
    private readonly string _root;
    private readonly string _scriptDirectory;
    private readonly string? _cacheDirectory;
    private readonly Func<IReadOnlyList<string>> _extraPaths;
    private readonly Func<IReadOnlyDictionary<string, string>> _environment;
    private readonly CgroupSlots _slots;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Task<ZygoteProcess?>> _current = [];
    private readonly Dictionary<string, int> _startFailures = [];
    private readonly List<ZygoteProcess> _retiring = [];
    private readonly HashSet<Task<ZygoteProcess?>> _stale = [];
    private IReadOnlyList<string> _pythonModules = [];
    private readonly Timer? _idleTimer;
    private long _runs, _fallbacks, _idleReplacements;
    private bool _disposed;

    public Zygotes(SandboxRunner launcher, CgroupRuntime cgroups, SandboxOptions options, string scriptDirectory, string? cacheDirectory,
        IReadOnlyList<uint> uids, Func<IReadOnlyList<string>> extraPaths, Func<IReadOnlyDictionary<string, string>> environment)
    {
        _launcher = launcher;
        _cgroups = cgroups;
        _options = options;
        _scriptDirectory = scriptDirectory;
        _cacheDirectory = cacheDirectory;
        _extraPaths = extraPaths;
        _environment = environment;
        _root = Path.Combine(options.StateRoot, "zygotes", $"{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(_root);
        _slots = new CgroupSlots(cgroups, uids);
        if (options.ZygoteIdleTimeout > TimeSpan.Zero)
        {
            var period = TimeSpan.FromTicks(Math.Clamp(options.ZygoteIdleTimeout.Ticks / 2, TimeSpan.TicksPerMillisecond * 100, TimeSpan.TicksPerMinute));
            _idleTimer = new Timer(_ => ReplaceIdle(), null, period, period);
        }
    }

    /// <summary>Zygotes replaced because they sat idle (<see cref="SandboxOptions.ZygoteIdleTimeout"/>).</summary>
    public long IdleReplacements => Interlocked.Read(ref _idleReplacements);

    // A zygote that served runs and then sat idle makes way for a fresh one, started now so no run waits for it.
    private void ReplaceIdle()
    {
        lock (_lock)
        {
            if (_disposed) return;
            foreach (var (flavour, task) in _current.ToList())
            {
                // Warm runners it started do not keep it: retired, it takes no new run and goes once they have ended.
                if (!task.IsCompletedSuccessfully || task.Result is not { Broken: false } z || z.RunsStarted == 0 || z.RunsInFlight > 0) continue;
                if (DateTime.UtcNow - z.LastUsed < _options.ZygoteIdleTimeout) continue;
                Retire(z);
                _current[flavour] = StartAsync(flavour);
                Interlocked.Increment(ref _idleReplacements);
            }
        }
    }

    /// <summary>Runs served by zygotes.</summary>
    public long Runs => Interlocked.Read(ref _runs);

    internal CgroupSlots Slots => _slots;

    /// <summary>Runs a zygote could have served but handed to the session's own path because no slot emptied in time.</summary>
    public long SlotFallbacks => Interlocked.Read(ref _fallbacks);

    /// <summary>Host pids of every zygote's own processes (for tests that audit leftovers).</summary>
    internal IReadOnlyList<int> OwnPids()
    {
        lock (_lock)
            return _current.Values.Where(t => t.IsCompletedSuccessfully && t.Result is not null).SelectMany(t => t.Result!.Pids)
                .Concat(_retiring.SelectMany(z => z.Pids)).ToList();
    }

    /// <summary>The zygote a flavour runs in now, if started (for tests that kill it).</summary>
    internal ZygoteProcess? Current(string flavour)
    {
        lock (_lock)
            return _current.TryGetValue(flavour, out var t) && t.IsCompletedSuccessfully ? t.Result : null;
    }

    /// <summary>Python runs in a Python zygote (NumPy preloaded when the source names it); everything else execs from the exec zygote.</summary>
    public static string FlavourOf(Language language, string source) =>
        language.Id != "python" ? "exec" : source.Contains("numpy", StringComparison.Ordinal) ? "python-numpy" : "python";

    /// <summary>
    /// Modules (files in the runner script directory) every Python zygote started from now on imports before it
    /// forks; the Python zygotes already running or starting make way for fresh ones, started now.
    /// </summary>
    public void PreloadPythonModules(IReadOnlyList<string> modules)
    {
        lock (_lock)
        {
            _pythonModules = modules.ToArray();
            if (_disposed) return;
            foreach (var (flavour, task) in _current.ToList())
            {
                if (!flavour.StartsWith("python", StringComparison.Ordinal)) continue;
                if (!task.IsCompleted)
                {
                    _stale.Add(task); // replaced once it has started (runs meanwhile still go to it)
                    continue;
                }
                if (task.Result is { } z) Retire(z);
                _current[flavour] = StartAsync(flavour);
            }
        }
    }

    /// <summary>Starts a flavour's zygote ahead of demand.</summary>
    public void Prestart(string flavour) => _ = GetAsync(flavour);

    /// <summary>
    /// Runs a program once in a fresh zygote child: interpreted languages from the source (handed over as a memory
    /// file), compiled ones from their compile-cache artifact (bound read-only at /box inside the child only).
    /// Null: not served here (no free slot, no zygote) — the caller runs it its own way.
    /// </summary>
    public async Task<(RunResult? Result, uint Uid)> RunAsync(Language language, SourceProgram program, CompileEntry? compiled, RunRequest request, ResourceLimits limits, CancellationToken ct)
    {
        var flavour = FlavourOf(language, program.Source);
        if (language.IsCompiled)
        {
            if (compiled?.Directory is not { } dir) return (null, 0);
            return await RunAsync(flavour, null, "exec", source: false, "", language.Definition.Run(compiled.SourceFileName), Path.GetFileName(dir), request, limits, ct).ConfigureAwait(false);
        }
        var fileName = language.Definition.SourceFileName(program.Source);
        var mode = flavour == "exec" ? "exec" : "python";
        return await RunAsync(flavour, program, mode, source: true, "/box/" + fileName, language.Definition.Run(fileName), null, request, limits, ct).ConfigureAwait(false);
    }

    private async Task<(RunResult? Result, uint Uid)> RunAsync(string flavour, SourceProgram? program, string mode, bool source, string file, IReadOnlyList<string> argv, string? artifact,
        RunRequest request, ResourceLimits limits, CancellationToken ct)
    {
        var zygote = await GetAsync(flavour).ConfigureAwait(false);
        if (zygote is null) return (null, 0);
        // The short form of the program where this zygote has what it leaves out (a zygote that replaces this one, if
        // the run goes there instead, was started later and has at least the same modules).
        var code = program is null ? []
            : Encoding.UTF8.GetBytes(program.WhenPreloaded is { } variant && zygote.PreloadedModules.Contains(variant.Module) ? variant.Source : program.Source);
        var slot = await _slots.AcquireAsync(TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
        if (slot is null)
        {
            Interlocked.Increment(ref _fallbacks);
            return (null, 0);
        }
        try
        {
            slot.Prepare(limits);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _slots.Release(slot);
            return (null, 0); // nothing ran yet: the cold path serves it
        }
        AnonymousPipeServerStream? stdin = null, stdout = null, stderr = null;
        try
        {
            using var codeFile = ZygoteNative.CodeFile(code);
            stdin = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.None);
            stdout = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
            stderr = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
            var fds = new List<int>
            {
                (int)codeFile.DangerousGetHandle(),
                (int)stdin.ClientSafePipeHandle.DangerousGetHandle(),
                (int)stdout.ClientSafePipeHandle.DangerousGetHandle(),
                (int)stderr.ClientSafePipeHandle.DangerousGetHandle(),
            };
            fds.AddRange(slot.ProcsHandles.Select(h => (int)h.DangerousGetHandle()));
            var wall = Stopwatch.StartNew();
            var message = Request(mode, source, file, argv, artifact, request.Args, slot.Uid, limits, slot.Index);
            // A zygote retired (worn out, idle) between GetAsync and here refuses before anything is sent: the run
            // goes to the flavour's current zygote instead, or to the session's own path; never a failure of ours.
            var exited = zygote.TryStart(message, fds.ToArray());
            if (exited is null && await GetAsync(flavour).ConfigureAwait(false) is { } current)
                exited = current.TryStart(message, fds.ToArray());
            if (exited is null) return (null, 0);
            stdin.DisposeLocalCopyOfClientHandle();
            stdout.DisposeLocalCopyOfClientHandle();
            stderr.DisposeLocalCopyOfClientHandle();
            using var child = new ZygoteProgram(stdin, stdout, stderr, exited, slot.Cgroup);
            var result = await RunSupervisor.SuperviseAsync(child, slot.Cgroup, limits, request.Stdin, wall, ct).ConfigureAwait(false);
            Interlocked.Increment(ref _runs);
            return (result, slot.Uid);
        }
        catch (IOException e)
        {
            return (RunResult.SandboxFailure($"zygote run failed: {e.Message}"), slot.Uid);
        }
        finally
        {
            stdin?.Dispose();
            stdout?.Dispose();
            stderr?.Dispose();
            _slots.Release(slot);
        }
    }

    /// <summary>
    /// Starts a session's warm runner as a child of the flavour's zygote (see <see cref="ZygoteRequest.Runner"/>);
    /// the task completes when the runner ends. Null: no zygote could take it (the caller starts a bubblewrap runner).
    /// </summary>
    public async Task<Task<ExitStatus>?> StartRunnerAsync(string flavour, ZygoteRequest request, int[] fds)
    {
        var zygote = await GetAsync(flavour).ConfigureAwait(false);
        var exited = zygote?.TryStart(request, fds);
        if (exited is null && zygote is not null && await GetAsync(flavour).ConfigureAwait(false) is { } current)
            exited = current.TryStart(request, fds);
        if (exited is not null) Interlocked.Increment(ref _runnersStarted);
        return exited;
    }

    private long _runnersStarted;

    /// <summary>Warm runners started as zygote children.</summary>
    public long RunnersStarted => Interlocked.Read(ref _runnersStarted);

    /// <summary>The rlimits a zygote child sets for a run (or a runner) with these limits, by number.</summary>
    internal static IReadOnlyList<(int Resource, long Soft, long Hard)> RlimitsFor(ResourceLimits limits) =>
        RunRlimits.For(limits).Select(r => (r.Resource, r.Soft, r.Hard)).ToList();

    private ZygoteRequest Request(string mode, bool source, string file, IReadOnlyList<string> argv, string? artifact, IReadOnlyList<string> args, uint uid, ResourceLimits limits, int slot)
    {
        return new ZygoteRequest
        {
            Mode = mode,
            Source = source,
            File = file,
            Argv = argv,
            Artifact = artifact,
            Args = args,
            Uid = uid,
            WorkBytes = _options.WorkDirBytes,
            TmpBytes = limits.TmpBytes,
            Slot = slot,
            Rlimits = RlimitsFor(limits),
        };
    }

    private static readonly ResourceLimits ZygoteLimits = new()
    {
        CpuTime = TimeSpan.FromDays(1),
        WallTime = TimeSpan.FromDays(1),
        MemoryBytes = 1L << 30,
        MaxProcesses = 1024,
        // A slot's network namespace and a few descriptors per run in flight: far below this. Higher than the
        // host's hard limit (20,000 on this machine) only made the launcher print a failed `ulimit` into the
        // zygote's stderr, the tail of which is what a zygote death reports.
        MaxOpenFiles = 4096,
        MaxFileBytes = 1L << 40,
        MaxOutputBytes = 1L << 20,
        TmpBytes = 1L << 20,
    };

    /// <summary>The flavour's live zygote, starting (or replacing a broken or worn-out one) as needed; null when it cannot start.</summary>
    private Task<ZygoteProcess?> GetAsync(string flavour)
    {
        lock (_lock)
        {
            if (_disposed) return Task.FromResult<ZygoteProcess?>(null);
            if (_current.TryGetValue(flavour, out var task))
            {
                if (!task.IsCompleted) return task;
                var z = task.Result;
                var stale = _stale.Remove(task);
                if (z is not null && !z.Broken && z.RunsStarted < _options.MaxRunsPerZygote && !stale) return task;
                if (z is not null) Retire(z);
                if (z is null && _startFailures.GetValueOrDefault(flavour) >= MaxStartFailures) return task;
            }
            var started = StartAsync(flavour);
            _current[flavour] = started;
            return started;
        }
    }

    private async Task<ZygoteProcess?> StartAsync(string flavour)
    {
        await Task.Yield();
        RunCgroup? cg = null;
        try
        {
            cg = _cgroups.CreateRun(ZygoteLimits) ?? throw new IOException("zygotes need cgroups");
            IReadOnlyList<string> modules;
            lock (_lock) modules = flavour.StartsWith("python", StringComparison.Ordinal) ? _pythonModules : [];
            var z = await ZygoteProcess.StartAsync(_launcher, cg, Path.Combine(_root, Guid.NewGuid().ToString("N")[..8]), flavour, _scriptDirectory,
                flavour == "exec" ? _cacheDirectory : null, _extraPaths(), _environment(), ZygoteLimits, CancellationToken.None, modules).ConfigureAwait(false);
            lock (_lock) _startFailures[flavour] = 0;
            return z;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException or UnauthorizedAccessException
                                      or System.Text.Json.JsonException or System.ComponentModel.Win32Exception or ArgumentException)
        {
            cg?.Dispose();
            lock (_lock) _startFailures[flavour] = _startFailures.GetValueOrDefault(flavour) + 1;
            return null;
        }
    }

    // A broken zygote goes at once (its runs already failed); a worn-out or idle one takes no new run and goes when
    // its last run has reported.
    private void Retire(ZygoteProcess z)
    {
        if (z.StopTakingRuns() == 0 || z.Broken) { z.Dispose(); return; }
        _retiring.Add(z);
        _ = Task.Run(async () =>
        {
            while (z.InFlight > 0 && !z.Broken) await Task.Delay(100).ConfigureAwait(false);
            z.Dispose();
            lock (_lock) _retiring.Remove(z);
        });
    }

    public void Dispose()
    {
        _idleTimer?.Dispose();
        List<Task<ZygoteProcess?>> tasks;
        lock (_lock)
        {
            _disposed = true;
            tasks = _current.Values.ToList();
            _current.Clear();
        }
        foreach (var t in tasks)
        {
            try { if (t.Wait(TimeSpan.FromSeconds(30))) t.Result?.Dispose(); }
            catch (AggregateException) { }
        }
        lock (_lock) foreach (var z in _retiring) z.Dispose();
        _slots.Dispose();
        try { Directory.Delete(_root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
