namespace Crucible.Sandbox;

/// <summary>
/// One submission's sandbox: compiled once on open, then run any number of times with different stdin, args and
/// files. Every run is its own process tree in fresh namespaces, seeing only this session's /work and the artifact.
/// Nothing of one session is visible to another. Dispose to release the uid and the work dir.
/// </summary>
public sealed class SandboxSession : IAsyncDisposable
{
    private const int ENOSPC = 28, EDQUOT = 122;
    private readonly SandboxPool _pool;
    private CompileEntry _entry;
    private SessionWorkDir? _work;
    private readonly Action<uint?> _release;
    // A deferred session (Python with zygotes) has no uid, work dir or cache entry until a run needs them.
    private readonly SourceProgram? _deferred;
    private Task? _materializing;
    private uint _uid, _lastZygoteUid;
    private readonly Lock _materializeLock = new();
    private readonly SemaphoreSlim _runnerInUse = new(1, 1);
    private WarmRunner? _runner;
    private Task? _runnerStarting;
    private int _disposed, _runs;

    internal SandboxSession(SandboxPool pool, string id, Language language, ResourceLimits limits, CompileEntry entry, SessionWorkDir work, uint uid, WarmRunner? runner, Action<uint?> release)
    {
        _runner = runner;
        _pool = pool;
        Id = id;
        Language = language;
        Limits = limits;
        _entry = entry;
        _work = work;
        _uid = uid;
        _release = release;
    }

    /// <summary>A session whose runs go to a zygote until one needs the session's own /work (files in or out).</summary>
    internal SandboxSession(SandboxPool pool, Language language, ResourceLimits limits, SourceProgram program, CompileEntry? compiled, Action<uint?> release)
    {
        _pool = pool;
        Id = "z" + Guid.NewGuid().ToString("N")[..12];
        Language = language;
        Limits = limits;
        _entry = compiled ?? new CompileEntry(new CompileResult { Verdict = Verdict.Ok }, null, language.Definition.SourceFileName(program.Source));
        _deferred = program;
        _release = release;
    }

    public string Id { get; }
    public Language Language { get; }

    /// <summary>Default limits of this session's runs.</summary>
    public ResourceLimits Limits { get; }

    public CompileResult Compile => _entry.Result;

    /// <summary>The session's uid, or for a deferred session the uid of the zygote slot its last run used.</summary>
    internal uint Uid => _work is not null ? _uid : _lastZygoteUid;

    /// <summary>The session's host work dir; null while its runs go to zygotes (each has a private /work).</summary>
    internal string? WorkDirectory => _work?.Path;
    internal SessionWorkDir Workspace => _work ?? throw new InvalidOperationException("a deferred session has no work dir yet");

    /// <summary>True while runs of this session go to zygote children.</summary>
    internal bool Deferred => Volatile.Read(ref _work) is null;

    /// <summary>Runs the program once. A failed compilation answers every run with its verdict and message.</summary>
    public async Task<RunResult> RunAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!Compile.Succeeded || _entry.Directory is null && _deferred is null)
            return new RunResult { Verdict = Compile.Verdict == Verdict.Ok ? Verdict.SandboxError : Compile.Verdict, Message = Compile.Output };
        var limits = request.Limits ?? Limits;
        limits.Validate();
        if (_deferred is not null && Volatile.Read(ref _work) is null || _runner is null && _materializing is { IsCompleted: false })
        {
            if (await RunInZygoteAsync(request, limits, cancellationToken).ConfigureAwait(false) is { } served) return served;
            await MaterializeAsync(cancellationToken).ConfigureAwait(false);
        }
        var work = _work!;
        try
        {
            foreach (var (path, content) in request.Files) work.WriteFile(path, content);
        }
        catch (IOException e) when (e.HResult is ENOSPC or EDQUOT && request.Files.Sum(f => (long)f.Value.Length) < _pool.Options.WorkDirBytes / 2
                                     && request.Files.Count < _pool.Options.WorkDirInodes / 2)
        {
            // The inputs would fit an empty work dir: what fills it is what earlier runs of this program left there.
            return new RunResult
            {
                Verdict = Verdict.RuntimeError,
                Message = $"the input files could not be placed: /work is full of what the program left there ({e.Message})",
            };
        }
        catch (IOException e)
        {
            return RunResult.SandboxFailure($"could not place input files: {e.Message}");
        }
        var result = await RunWarmAsync(request, limits, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            _pool.CountColdRun();
            result = await RunColdAsync(request, limits, cancellationToken).ConfigureAwait(false);
        }
        if (request.FetchFiles.Count > 0) result = FetchFiles(work, request, limits, result, cancellationToken);
        return result;
    }

    private RunResult FetchFiles(SessionWorkDir work, RunRequest request, ResourceLimits limits, RunResult result, CancellationToken cancellationToken)
    {
        var fetched = new Dictionary<string, byte[]>();
        var refused = new Dictionary<string, string>();
        var budget = _pool.Options.MaxFetchBytes;
        foreach (var f in request.FetchFiles)
        {
            var (content, why) = work.Fetch(f, limits.MaxFileBytes, budget, cancellationToken);
            if (content is not null)
            {
                fetched[f] = content;
                budget -= content.Length;
            }
            else if (why is not null) refused[f] = why;
        }
        return result with { FetchedFiles = fetched, FetchRefused = refused };
    }

    /// <summary>
    /// A run in a fresh zygote child, for runs that need no files of the session's /work. From the
    /// <see cref="SandboxOptions.OwnRunnerFromRun"/>th such run the session also builds its own work dir and warm
    /// runner in the background and later runs use the runner once it is ready. Null: not served here.
    /// </summary>
    private async Task<RunResult?> RunInZygoteAsync(RunRequest request, ResourceLimits limits, CancellationToken ct)
    {
        if (_deferred is null || request.Files.Count > 0 || request.FetchFiles.Count > 0) return null;
        if (Interlocked.Increment(ref _runs) >= _pool.Options.OwnRunnerFromRun && _pool.WarmEnabled && Volatile.Read(ref _disposed) == 0)
            lock (_materializeLock) _materializing ??= MaterializeThenStartRunnerAsync();
        var result = await _pool.ExecuteInZygoteAsync(Language, _deferred, Language.IsCompiled ? _entry : null, request, limits, ct).ConfigureAwait(false);
        if (result.Result is null) return null;
        _lastZygoteUid = result.Uid;
        return result.Result;
    }

    private async Task MaterializeAsync(CancellationToken ct)
    {
        Task task;
        lock (_materializeLock) task = _materializing ??= MaterializeCoreAsync(ct);
        await task.ConfigureAwait(false);
    }

    private async Task MaterializeCoreAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _work) is not null) return;
        var (uid, work, entry) = await _pool.MaterializeAsync(Language, _deferred!, ct).ConfigureAwait(false);
        var earlier = _entry;
        _entry = entry;
        earlier.Lease?.Dispose(); // the compile-time lease on the same entry: the new one holds it now
        _uid = uid;
        Volatile.Write(ref _work, work);
    }

    private async Task MaterializeThenStartRunnerAsync()
    {
        try
        {
            await MaterializeCoreAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SandboxException or IOException or InvalidOperationException) { return; }
        if (Volatile.Read(ref _disposed) == 0 && _entry.Result.Succeeded) await StartOwnRunnerAsync().ConfigureAwait(false);
    }

    /// <summary>Host pids that belong to this session's warm runner itself (not to any run).</summary>
    internal IReadOnlyList<int> RunnerPids => _runner?.OwnPids ?? [];

    /// <summary>True while this session has a usable warm runner.</summary>
    internal bool HasWarmRunner => _runner is { Broken: false };

    /// <summary>True while this session's warm runner is a zygote child (not a bubblewrap sandbox of its own).</summary>
    internal bool RunnerFromZygote => _runner is { Broken: false, FromZygote: true };

    private async Task<RunResult?> RunWarmAsync(RunRequest request, ResourceLimits limits, CancellationToken cancellationToken)
    {
        var runNumber = Interlocked.Increment(ref _runs);
        if (!_pool.WarmEnabled) return null;
        // One run at a time per runner; a concurrent run of the same session goes cold rather than wait.
        if (!_runnerInUse.Wait(0)) return null;
        try
        {
            var runner = _runner;
            if (runner is null || runner.Broken)
            {
                if (runner is not null) { _runner = null; runner.Dispose(); }
                // A session earns its own runner on its second run: single-run sessions are cheaper cold.
                if (runNumber >= 2 && _runnerStarting is null && Volatile.Read(ref _disposed) == 0) _runnerStarting = StartOwnRunnerAsync();
                return null;
            }
            var result = await _pool.ExecuteWarmAsync(runner, request, limits, cancellationToken).ConfigureAwait(false);
            if (result is null || runner.RunsServed >= _pool.Options.MaxRunsPerRunner)
            {
                _runner = null;
                runner.Dispose();
                _runnerStarting = null;
            }
            return result;
        }
        finally
        {
            _runnerInUse.Release();
        }
    }

    private async Task StartOwnRunnerAsync()
    {
        WarmRunner? runner = null;
        try
        {
            runner = await _pool.StartRunnerAsync(_uid, _work!, CancellationToken.None, _deferred?.Source).ConfigureAwait(false);
            runner = await _pool.AttachAsync(runner, Language, _entry, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A session without its own runner still runs cold; nothing here may escape an unobserved task.
            runner?.Dispose();
            return;
        }
        if (runner is null) return;
        await _runnerInUse.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _disposed) != 0 || _runner is not null) runner.Dispose();
            else _runner = runner;
        }
        finally
        {
            _runnerInUse.Release();
        }
    }

    private async Task<RunResult> RunColdAsync(RunRequest request, ResourceLimits limits, CancellationToken cancellationToken)
    {
        var argv = Language.Definition.Run(_entry.SourceFileName).Concat(request.Args).ToList();
        var tmp = _work!.NewRunTmp();
        try
        {
            return await ColdCommandAsync(request, limits, argv, tmp, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            SessionWorkDir.RemoveRunTmp(tmp);
        }
    }

    private Task<RunResult> ColdCommandAsync(RunRequest request, ResourceLimits limits, List<string> argv, string? tmp, CancellationToken cancellationToken)
    {
        return _pool.ExecuteAsync(new SandboxCommand
        {
            TmpDirectory = tmp,
            Argv = argv,
            Uid = _uid,
            Limits = limits,
            BoxDirectory = _entry.Directory!,
            WorkDirectory = _work!.Path,
            ExtraReadOnlyPaths = Language.ExtraReadOnlyPaths,
            Environment = Language.Definition.Environment,
            Stdin = request.Stdin,
            OnStarted = OnRunStarted,
        }, cancellationToken);
    }

    /// <summary>Observer of launcher pids, for tests that attack the runner from outside.</summary>
    internal Action<int>? OnRunStarted { get; set; }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return ValueTask.CompletedTask;
        _runnerInUse.Wait();
        try
        {
            _runner?.Dispose();
            _runner = null;
        }
        finally
        {
            _runnerInUse.Release();
        }
        _runnerStarting?.ContinueWith(_ => _runner?.Dispose(), TaskScheduler.Default).Wait(TimeSpan.FromSeconds(15));
        if (_materializing is { IsCompleted: false } m)
        {
            // The caller does not wait for the background set-up; the session slot goes back with the uid that
            // set-up takes, so open sessions never hold more uids than the pool has.
            _ = m.ContinueWith(_ =>
            {
                _runner?.Dispose();
                var late = Interlocked.Exchange(ref _work, null);
                late?.Dispose();
                if (late is not null) _entry.Lease?.Dispose();
                _release(late is null ? null : _uid);
            }, TaskScheduler.Default);
            return ValueTask.CompletedTask;
        }
        var work = Interlocked.Exchange(ref _work, null);
        work?.Dispose();
        _entry.Lease?.Dispose();
        _release(work is null ? null : _uid);
        return ValueTask.CompletedTask;
    }
}
