using System.Collections.Concurrent;
using System.Globalization;

namespace Crucible.Sandbox;

/// <summary>
/// The entry point of the sandbox: opens sessions (one per submission) and schedules their runs. Runs are bounded
/// by <see cref="SandboxOptions.MaxParallelRuns"/> and sessions by <see cref="SandboxOptions.MaxSessions"/>;
/// callers beyond either bound wait their turn (back-pressure), nothing is dropped.
/// </summary>
public sealed partial class SandboxPool : IAsyncDisposable
{
    private readonly SandboxOptions _options;
    private readonly CgroupRuntime _cgroups;
    private readonly SandboxRunner _runner;
    private readonly SemaphoreSlim _runSlots;
    private readonly SemaphoreSlim _sessionSlots;
    private readonly ConcurrentBag<uint> _freeUids = [];
    private readonly Lock _prestartLock = new();
    private readonly string _sessionsRoot;
    private int _activeRuns, _waitingRuns, _openSessions;
    private long _runsCompleted, _warmRuns, _coldRuns;
    private readonly ConcurrentQueue<WarmRunner> _idleRunners = new();
    private readonly string _runnersRoot;
    private readonly string _runnerScriptDirectory;
    private int _startingRunners, _runnerStartFailures;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly UidLease _uidLease;
    private readonly CSharpCompileStep _csharp;

    private SandboxPool(SandboxOptions options, LanguageRegistry languages)
    {
        _options = options;
        Languages = languages;
        Directory.CreateDirectory(options.StateRoot);
        Directory.CreateDirectory(Path.Combine(options.StateRoot, "runs"));
        _sessionsRoot = Path.Combine(options.StateRoot, "sessions");
        Directory.CreateDirectory(_sessionsRoot);
        StaleState.Clean(options.StateRoot);
        CompileCache = new CompileCache(Path.Combine(options.StateRoot, "cache"), options.CompileCacheBudgetBytes);
        _cgroups = CgroupRuntime.Create(options.DisableCgroups);
        _runner = new SandboxRunner(options, _cgroups, options.StateRoot);
        _csharp = new CSharpCompileStep(options.StateRoot);
        _runSlots = new SemaphoreSlim(options.MaxParallelRuns, options.MaxParallelRuns);
        _sessionSlots = new SemaphoreSlim(options.MaxSessions, options.MaxSessions);
        _uidLease = new UidLease(options.BaseUid, options.MaxSessions + Math.Max(0, options.PrestartedRunners), UidLease.DefaultLockDirectory(options.StateRoot));
        foreach (var uid in _uidLease.Uids) _freeUids.Add(uid);
        _runnersRoot = Path.Combine(options.StateRoot, "runners");
        Directory.CreateDirectory(_runnersRoot);
        _runnerScriptDirectory = Path.Combine(options.StateRoot, "runner-script");
        Directory.CreateDirectory(_runnerScriptDirectory);
        InstallScript("Crucible.Sandbox.warm_runner.py", "warm_runner.py");
        _runner.SeccompFilterPath = options.Seccomp ? Seccomp.SeccompPolicy.WriteTo(_runnerScriptDirectory) : null;
        Isolation = new IsolationReport
        {
            Cgroups = _cgroups.Version switch { CgroupVersion.V1 => "v1", CgroupVersion.V2 => "v2", _ => "none" },
            CgroupsUnavailableReason = _cgroups.Unavailable,
            PerSessionUid = _runner.Privileged,
            TmpfsWorkDir = _runner.Privileged,
        };
        WarmEnabled = options.WarmRunners && _cgroups.Version != CgroupVersion.None && _runner.Privileged
                      && Languages.TryGet("python", out var py) && py.Available;
        // Zygotes first: pre-started runners are forked from them where they can be.
        _zygotes = ZygotesFor(options);
        if (WarmEnabled) EnsurePrestarted();
    }

    private void ReleaseSession(uint? uid)
    {
        Interlocked.Decrement(ref _openSessions);
        if (uid is { } u) _freeUids.Add(u);
        _sessionSlots.Release();
        EnsurePrestarted();
    }

    /// <summary>Why the last warm runner failed to start (null if none has).</summary>
    public string? LastRunnerStartError { get; private set; }

    /// <summary>True when runs go through warm runners (needs root, cgroups and the system Python).</summary>
    public bool WarmEnabled { get; }

    /// <summary>Runs served by warm runners so far.</summary>
    public long WarmRuns => Interlocked.Read(ref _warmRuns);

    /// <summary>
    /// CPU time of every process this pool ran in its cgroups so far (runs, compiles, warm runners, zygotes and their
    /// children; read from cgroup accounting, so processes still alive count too); null without cgroups.
    /// </summary>
    public TimeSpan? SandboxCpuTime => _cgroups.TotalCpuTime();

    /// <summary>Runs executed cold (a fresh sandbox per run) so far, compilations excluded.</summary>
    public long ColdRuns => Interlocked.Read(ref _coldRuns);

    /// <summary>
    /// Writes an embedded script into the state root. Written aside and renamed into place: another process sharing
    /// the state root may be starting a runner or zygote from this very file right now (docs/sandbox.md, issue 14).
    /// </summary>
    private void InstallScript(string resource, string fileName) => InstallResource(resource, fileName, executable: false);

    /// <summary>Like <see cref="InstallScript"/>, for any embedded file; false when this build has no such resource.</summary>
    private bool InstallResource(string resource, string fileName, bool executable)
    {
        using var content = typeof(SandboxPool).Assembly.GetManifestResourceStream(resource);
        if (content is null) return false;
        InstallFile(fileName, content.CopyTo, executable);
        return true;
    }

    /// <summary>Writes a file of the runner script directory aside, then renames it into place (see <see cref="InstallScript"/>).</summary>
    private void InstallFile(string fileName, Action<Stream> write, bool executable)
    {
        var tmp = Path.Combine(_runnerScriptDirectory, $".{ProcessStamp.Current}-{Guid.NewGuid():N}.tmp");
        using (var file = File.Create(tmp))
            write(file);
        if (executable)
            File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
                                      | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.Move(tmp, Path.Combine(_runnerScriptDirectory, fileName), overwrite: true);
    }

    /// <summary>Creates a pool, or throws <see cref="SandboxException"/> naming what is missing (bubblewrap, setpriv).</summary>
    public static SandboxPool Create(SandboxOptions? options = null, LanguageRegistry? languages = null)
    {
        options ??= new SandboxOptions();
        if (!File.Exists(options.BubblewrapPath))
            throw new SandboxException($"bubblewrap not found at {options.BubblewrapPath}; install it with `apt-get install -y bubblewrap` (the README's setup command does).");
        if (Libc.IsRoot && !File.Exists(options.SetprivPath))
            throw new SandboxException($"setpriv not found at {options.SetprivPath}; install it with `apt-get install -y util-linux`.");
        if (options.MaxParallelRuns < 1) throw new SandboxException("MaxParallelRuns must be at least 1.");
        if (options.MaxSessions < 1) throw new SandboxException("MaxSessions must be at least 1.");
        options.RunLimits.Validate();
        options.CompileLimits.Validate();
        return new SandboxPool(options, languages ?? LanguageRegistry.Default);
    }

    public SandboxOptions Options => _options;
    public LanguageRegistry Languages { get; }
    public CompileCache CompileCache { get; }
    public IsolationReport Isolation { get; }

    /// <summary>Runs executing now.</summary>
    public int ActiveRuns => Volatile.Read(ref _activeRuns);

    /// <summary>Runs waiting for a slot.</summary>
    public int WaitingRuns => Volatile.Read(ref _waitingRuns);

    public int OpenSessions => Volatile.Read(ref _openSessions);
    public long RunsCompleted => Interlocked.Read(ref _runsCompleted);

    /// <summary>
    /// Opens a session for one program: waits for a session slot, then compiles (or takes the cached artifact).
    /// Compile errors do not throw: they are in <see cref="SandboxSession.Compile"/>.
    /// Throws <see cref="SandboxException"/> for an unknown or unavailable language or an oversized source.
    /// </summary>
    public Task<SandboxSession> OpenSessionAsync(SourceProgram program, ResourceLimits? limits = null, CancellationToken cancellationToken = default) =>
        OpenSessionAsync(program, limits, expectedRuns: 0, cancellationToken);

    /// <summary>
    /// Opens a session, told how many runs the caller expects to make (a judge knows: one per stdin test, one per
    /// batch of function calls). A session expected to make <see cref="SandboxOptions.RunnerSessionFromRuns"/> or more
    /// gets a warm runner at once (a pre-started one when ready); fewer runs go to zygote forks. 0: unknown.
    /// </summary>
    public async Task<SandboxSession> OpenSessionAsync(SourceProgram program, ResourceLimits? limits, int expectedRuns, CancellationToken cancellationToken = default)
    {
        var language = Languages.Require(program.Language);
        if (System.Text.Encoding.UTF8.GetByteCount(program.Source) > _options.MaxSourceBytes)
            throw new SandboxException($"Source is larger than {_options.MaxSourceBytes} bytes (SandboxOptions.MaxSourceBytes).");
        limits ??= _options.RunLimits;
        limits.Validate();

        await _sessionSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_zygotes is not null && !(WarmEnabled && expectedRuns >= _options.RunnerSessionFromRuns))
        {
            try
            {
                var compiled = language.IsCompiled ? await CompileWithLeasedUidAsync(language, program, cancellationToken).ConfigureAwait(false) : null;
                Interlocked.Increment(ref _openSessions);
                return new SandboxSession(this, language, limits, program, compiled, ReleaseSession);
            }
            catch
            {
                _sessionSlots.Release();
                throw;
            }
        }
        uint uid = 0;
        SessionWorkDir? work = null;
        WarmRunner? runner = null;
        CompileEntry? entry = null;
        try
        {
            while (_idleRunners.TryDequeue(out var idle))
            {
                if (!idle.Broken) { runner = idle; break; }
                idle.Dispose();
                idle.Work.Dispose();
                _freeUids.Add(idle.Uid);
            }
            if (runner is not null)
            {
                uid = runner.Uid;
                work = runner.Work;
            }
            else
            {
                if (!_freeUids.TryTake(out uid)) throw new InvalidOperationException("uid pool exhausted despite a free session slot");
                work = NewWorkDir(uid, limits);
            }
            EnsurePrestarted();
            var compileUid = uid;
            entry = await CompileCache.GetOrCreateAsync(language, program,
                (dir, file) => CompileAsync(language, program, dir, file, compileUid, cancellationToken)).ConfigureAwait(false);
            if (runner is not null)
                runner = entry.Result.Succeeded ? await AttachAsync(runner, language, entry, cancellationToken).ConfigureAwait(false) : Discard(runner);
            Interlocked.Increment(ref _openSessions);
            return new SandboxSession(this, Path.GetFileName(work.Path), language, limits, entry, work, uid, runner, ReleaseSession);
        }
        catch
        {
            entry?.Lease?.Dispose();
            runner?.Dispose();
            work?.Dispose();
            if (uid != 0) _freeUids.Add(uid);
            _sessionSlots.Release();
            throw;
        }
    }

    private static WarmRunner? Discard(WarmRunner runner)
    {
        runner.Dispose();
        return null;
    }

    /// <summary>Compiles and runs once: a session of one run.</summary>
    public async Task<(CompileResult Compile, RunResult Run)> RunOnceAsync(SourceProgram program, RunRequest request, CancellationToken cancellationToken = default)
    {
        await using var session = await OpenSessionAsync(program, request.Limits, cancellationToken).ConfigureAwait(false);
        return (session.Compile, await session.RunAsync(request, cancellationToken).ConfigureAwait(false));
    }

    private async Task<CompileResult> CompileAsync(Language language, SourceProgram program, string dir, string fileName, uint uid, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var limits = CompileLimitsFor(program);
        if (Libc.IsRoot)
        {
            Libc.Chown(dir, uid, uid);
            foreach (var f in Directory.EnumerateFiles(dir)) Libc.Chown(f, uid, uid);
        }
        var roslyn = language.Definition.CompilesWithRoslyn;
        var argv = roslyn ? _csharp.Argv(language.Definition.Run(fileName)[0], fileName)
            : language.Definition.Compile!(fileName).Concat(program.CompileFlags).ToList();
        var run = await ExecuteAsync(new SandboxCommand
        {
            Argv = argv,
            ExtraBinds = roslyn ? [(_csharp.Directory, CSharpCompileStep.Inside, false)] : [],
            Uid = uid,
            // Each file a compiler writes (in /box or /tmp) stays under the artifact cap.
            Limits = limits with { MaxFileBytes = Math.Min(limits.MaxFileBytes, _options.MaxArtifactBytes) },
            BoxDirectory = dir,
            BoxWritable = true,
            ExtraReadOnlyPaths = language.ExtraReadOnlyPaths,
            Environment = language.Definition.Environment,
        }, ct).ConfigureAwait(false);
        var output = (run.Stderr + (run.StdoutBytes.Length > 0 ? "\n" + run.Stdout : "")).Trim();
        var verdict = run.Verdict switch
        {
            Verdict.Ok => Verdict.Ok,
            Verdict.RuntimeError => Verdict.CompileError,
            var v => v,
        };
        if (verdict is Verdict.TimeLimitExceeded or Verdict.MemoryLimitExceeded or Verdict.OutputLimitExceeded)
            output = $"compiler stopped: {run.Message}\n{output}".Trim();
        if (verdict == Verdict.SandboxError) output = run.Message ?? output;
        return CapArtifact(new CompileResult { Verdict = verdict, Output = output, Duration = started.Elapsed }, dir);
    }

    /// <summary>A successful compile whose output (all files together) is over the artifact cap is a compile error.</summary>
    private CompileResult CapArtifact(CompileResult result, string dir)
    {
        if (result.Verdict != Verdict.Ok) return result;
        long bytes = 0;
        foreach (var f in new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories)) bytes += f.Length;
        return bytes <= _options.MaxArtifactBytes ? result : result with
        {
            Verdict = Verdict.CompileError,
            Output = $"the compiled program is {bytes} bytes, over the {_options.MaxArtifactBytes}-byte artifact limit (SandboxOptions.MaxArtifactBytes)",
        };
    }

    /// <summary>The pool's compile limits, with the program's own compile time limit when it asks for less.</summary>
    private ResourceLimits CompileLimitsFor(SourceProgram program)
    {
        var pool = _options.CompileLimits;
        if (program.CompileTimeLimit is not { } asked || asked <= TimeSpan.Zero) return pool;
        // SandboxFusion's compile_timeout is wall time; the pool's CPU limit stays as the second bound.
        return pool with { WallTime = asked < pool.EffectiveWallTime ? asked : pool.EffectiveWallTime };
    }

    /// <summary>A run through a session's warm runner, under the same run slots as cold runs. Null: run it cold.</summary>
    internal async Task<RunResult?> ExecuteWarmAsync(WarmRunner runner, RunRequest request, ResourceLimits limits, CancellationToken ct)
    {
        var result = await InRunSlotAsync(() => runner.RunAsync(request.Args, limits, request.Stdin, ct), ct).ConfigureAwait(false);
        if (result is not null)
        {
            Interlocked.Increment(ref _warmRuns);
            Interlocked.Increment(ref _runsCompleted);
        }
        return result;
    }

    internal void CountColdRun() => Interlocked.Increment(ref _coldRuns);

    internal async Task<RunResult> ExecuteAsync(SandboxCommand command, CancellationToken ct)
    {
        return await InRunSlotAsync(async () =>
        {
            try
            {
                return await _runner.ExecuteAsync(command, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                return RunResult.SandboxFailure($"sandbox failure: {e.Message}");
            }
            finally
            {
                Interlocked.Increment(ref _runsCompleted);
            }
        }, ct).ConfigureAwait(false);
    }

    /// <summary>Waits for one of the run slots (back-pressure, counted as waiting), then runs counted as active.</summary>
    private async Task<T> InRunSlotAsync<T>(Func<Task<T>> run, CancellationToken ct)
    {
        Interlocked.Increment(ref _waitingRuns);
        try
        {
            await _runSlots.WaitAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waitingRuns);
        }
        Interlocked.Increment(ref _activeRuns);
        try
        {
            return await run().ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _activeRuns);
            _runSlots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _shutdown.Cancel();
        await Task.WhenAny(Task.WhenAll(_runnerStarts.Keys), Task.Delay(TimeSpan.FromSeconds(15))).ConfigureAwait(false);
        while (_idleRunners.TryDequeue(out var idle))
        {
            idle.Dispose();
            idle.Work.Dispose();
        }
        _zygotes?.Dispose();
        _slotUids?.Dispose();
        _cgroups.Dispose();
        _uidLease.Dispose();
    }
}
