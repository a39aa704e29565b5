namespace Crucible.Sandbox;

/// <summary>The zygote side of the pool: single runs forked from per-flavour zygotes (docs/sandbox.md, "Zygotes").</summary>
public sealed partial class SandboxPool
{
    private readonly Zygote.Zygotes? _zygotes;
    private UidLease? _slotUids;

    /// <summary>
    /// Zygotes when this machine allows them (root, cgroups, the system Python) and this build has their native parts
    /// (run_init and fork_server.so, built from C on x86-64 Linux with a C compiler); their slots lease their own uids.
    /// </summary>
    private Zygote.Zygotes? ZygotesFor(SandboxOptions options)
    {
        if (!options.Zygotes || _cgroups.Version == CgroupVersion.None || !_runner.Privileged || !Languages.TryGet("python", out var py) || !py.Available)
            return null;
        if (!InstallResource("Crucible.Sandbox.run_init", "run_init", executable: true)
            || !InstallResource("Crucible.Sandbox.fork_server.so", "fork_server.so", executable: false))
            return null;
        InstallScript("Crucible.Sandbox.zygote.py", "zygote.py");
        _slotUids = new UidLease(options.BaseUid, options.ZygoteSlots > 0 ? options.ZygoteSlots : options.MaxParallelRuns * 2 + 2, UidLease.DefaultLockDirectory(options.StateRoot));
        var zygotes = new Zygote.Zygotes(_runner, _cgroups, options, _runnerScriptDirectory, Path.Combine(options.StateRoot, "cache"),
            _slotUids.Uids, AllExtraPaths, AllEnvironment);
        zygotes.Prestart("python");
        zygotes.Prestart("exec");
        return zygotes;
    }

    private readonly Lock _preloadLock = new();
    private readonly List<string> _pythonModules = [];

    /// <summary>
    /// Makes <paramref name="source"/> a module named <paramref name="name"/> that every Python zygote imports before
    /// it forks (those running are replaced), so a program used by most runs (the judge's harness) is loaded once per
    /// zygote rather than in every run. A run finds it in <c>sys.modules</c>; runs elsewhere (warm runners, cold
    /// sandboxes, a zygote started earlier) do not, and the program must then load it itself. The name should carry
    /// the content's version: a changed source must get a new name. Idempotent; does nothing without zygotes.
    /// </summary>
    public void PreloadPythonModule(string name, string source)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[A-Za-z_][A-Za-z0-9_]{0,100}$"))
            throw new ArgumentException($"'{name}' is not a Python module name (letters, digits, underscores).", nameof(name));
        if (_zygotes is null) return;
        IReadOnlyList<string> modules;
        lock (_preloadLock)
        {
            if (_pythonModules.Contains(name)) return;
            InstallFile(name + ".py", file => file.Write(System.Text.Encoding.UTF8.GetBytes(source)), executable: false);
            _pythonModules.Add(name);
            modules = _pythonModules.ToArray();
        }
        _zygotes.PreloadPythonModules(modules);
    }

    /// <summary>True when single runs of Python go through zygotes.</summary>
    public bool ZygotesEnabled => _zygotes is not null;

    /// <summary>Runs served by zygote children so far.</summary>
    public long ZygoteRuns => _zygotes?.Runs ?? 0;

    /// <summary>Zygotes replaced by fresh ones after sitting idle (<see cref="SandboxOptions.ZygoteIdleTimeout"/>).</summary>
    public long ZygoteIdleReplacements => _zygotes?.IdleReplacements ?? 0;

    /// <summary>Times a zygote run waited for a cgroup slot to empty.</summary>
    public long ZygoteSlotWaits => _zygotes?.Slots.Waits ?? 0;

    /// <summary>Zygote runs handed to the session's own (warm or cold) path because no slot emptied in time.</summary>
    public long ZygoteSlotFallbacks => _zygotes?.SlotFallbacks ?? 0;

    internal Zygote.Zygotes? ZygoteFleet => _zygotes;

    /// <summary>A run in a zygote child under the run slots; a null result means "run it the session's own way".</summary>
    internal async Task<(RunResult? Result, uint Uid)> ExecuteInZygoteAsync(Language language, SourceProgram program, CompileEntry? compiled, RunRequest request, ResourceLimits limits, CancellationToken ct)
    {
        if (_zygotes is null) return (null, 0);
        var result = await InRunSlotAsync(() => _zygotes.RunAsync(language, program, compiled, request, limits, ct), ct).ConfigureAwait(false);
        if (result.Result is not null) Interlocked.Increment(ref _runsCompleted);
        return result;
    }

    /// <summary>A compile (or cache hit) for a deferred session: the compiler runs as a uid lent for the compile only.</summary>
    private async Task<CompileEntry> CompileWithLeasedUidAsync(Language language, SourceProgram program, CancellationToken ct)
    {
        if (!_freeUids.TryTake(out var uid)) throw new InvalidOperationException("uid pool exhausted despite a free session slot");
        try
        {
            return await CompileCache.GetOrCreateAsync(language, program, (dir, file) => CompileAsync(language, program, dir, file, uid, ct)).ConfigureAwait(false);
        }
        finally
        {
            _freeUids.Add(uid);
        }
    }

    /// <summary>Gives a deferred session what a run with files needs: its uid, work dir and compile-cache entry.</summary>
    internal async Task<(uint Uid, SessionWorkDir Work, CompileEntry Entry)> MaterializeAsync(Language language, SourceProgram program, CancellationToken ct)
    {
        if (!_freeUids.TryTake(out var uid)) throw new InvalidOperationException("uid pool exhausted despite a free session slot");
        SessionWorkDir? work = null;
        try
        {
            work = new SessionWorkDir(Path.Combine(_sessionsRoot, $"{Environment.ProcessId}-{Guid.NewGuid():N}"), uid, _options.WorkDirBytes);
            var entry = await CompileCache.GetOrCreateAsync(language, program,
                (dir, file) => CompileAsync(language, program, dir, file, uid, ct)).ConfigureAwait(false);
            return (uid, work, entry);
        }
        catch
        {
            work?.Dispose();
            _freeUids.Add(uid);
            throw;
        }
    }
}
