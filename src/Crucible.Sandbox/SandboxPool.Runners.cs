using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Crucible.Sandbox;

/// <summary>
/// The warm-runner side of the pool: pre-started runners, and starting one for a session — forked from a zygote where
/// there are zygotes, else (or when that fails) in a bubblewrap sandbox of its own (docs/sandbox.md, "Warm runners").
/// </summary>
public sealed partial class SandboxPool
{
    /// <summary>Pre-started runners waiting for a session.</summary>
    public int IdleRunners => _idleRunners.Count;

    private static readonly ResourceLimits RunnerLimits = new()
    {
        CpuTime = TimeSpan.FromDays(1),
        WallTime = TimeSpan.FromDays(1),
        MemoryBytes = 1L << 30,
        MaxProcesses = 16,
        MaxOpenFiles = 1024,
        MaxFileBytes = 1L << 30,
        MaxOutputBytes = 1L << 20,
    };

    private IReadOnlyList<string> AllExtraPaths() => Languages.All.SelectMany(l => l.PathsToBind).Distinct().ToList();

    private IReadOnlyDictionary<string, string> AllEnvironment()
    {
        var env = new Dictionary<string, string>();
        foreach (var l in Languages.All.Where(l => l.MayRun))
            foreach (var (k, v) in l.Definition.Environment) env[k] = v;
        return env;
    }

    /// <summary>Starts runners in the background until <see cref="SandboxOptions.PrestartedRunners"/> are idle.</summary>
    private void EnsurePrestarted()
    {
        if (!WarmEnabled || _shutdown.IsCancellationRequested || Volatile.Read(ref _runnerStartFailures) >= 5) return;
        while (true)
        {
            uint uid;
            // Check and take under one lock: two callers racing past the count would start more runners than
            // PrestartedRunners and leave a session with a slot but no uid.
            lock (_prestartLock)
            {
                if (_idleRunners.Count + Volatile.Read(ref _startingRunners) >= _options.PrestartedRunners || !_freeUids.TryTake(out uid)) return;
                Interlocked.Increment(ref _startingRunners);
            }
            var start = Task.Run(async () =>
            {
                SessionWorkDir? work = null;
                try
                {
                    _shutdown.Token.ThrowIfCancellationRequested();
                    work = NewWorkDir(uid, _options.RunLimits);
                    var runner = await StartRunnerAsync(uid, work, _shutdown.Token).ConfigureAwait(false);
                    Interlocked.Exchange(ref _runnerStartFailures, 0);
                    if (_shutdown.IsCancellationRequested) { runner.Dispose(); work.Dispose(); _freeUids.Add(uid); }
                    else _idleRunners.Enqueue(runner);
                }
                catch (Exception e)
                {
                    // Whatever went wrong, the uid comes back: a leaked one would later leave a session with a slot
                    // but no uid. The reason is kept for diagnostics.
                    Interlocked.Increment(ref _runnerStartFailures);
                    LastRunnerStartError = $"{e.GetType().Name}: {e.Message}";
                    work?.Dispose();
                    _freeUids.Add(uid);
                }
                finally
                {
                    Interlocked.Decrement(ref _startingRunners);
                }
            });
            _runnerStarts.TryAdd(start, 0);
            start.ContinueWith(t => _runnerStarts.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    // Starts in flight, awaited on dispose so none of them creates files under a state root already removed.
    private readonly ConcurrentDictionary<Task, byte> _runnerStarts = new();

    private SessionWorkDir NewWorkDir(uint uid, ResourceLimits limits) =>
        new(Path.Combine(_sessionsRoot, $"{ProcessStamp.Current}-{Guid.NewGuid():N}"), uid, _options.WorkDirBytes, _options.WorkDirInodes,
            limits.TmpBytes);

    /// <summary>
    /// Starts a warm runner for a session: forked from a Python zygote where there are zygotes (NumPy's when the
    /// session's source names it), else, or when that fails, in a bubblewrap sandbox of its own.
    /// </summary>
    internal async Task<WarmRunner> StartRunnerAsync(uint uid, SessionWorkDir work, CancellationToken ct, string? source = null)
    {
        var limits = RunnerLimits with { TmpBytes = _options.RunLimits.TmpBytes };
        if (_zygotes is not null && _options.ZygoteRunners && work.IsTmpfs)
        {
            var flavour = source is not null && source.Contains("numpy", StringComparison.Ordinal) ? "python-numpy" : "python";
            try
            {
                return await WarmRunner.StartInZygoteAsync(_zygotes, flavour, _cgroups, NewRunnerRoot(), uid, work, limits, _options.BreakZygoteRunnerSetUp ? -1 : (int)_options.WorkDirInodes, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or UnauthorizedAccessException or System.Text.Json.JsonException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref _zygoteRunnerFallbacks);
                LastRunnerStartError = $"zygote runner: {e.GetType().Name}: {e.Message}";
            }
        }
        return await WarmRunner.StartAsync(_runner, _cgroups, NewRunnerRoot(), _runnerScriptDirectory,
            uid, work, AllExtraPaths(), AllEnvironment(), limits, ct).ConfigureAwait(false);
    }

    private string NewRunnerRoot() => Path.Combine(_runnersRoot, $"{ProcessStamp.Current}-{Guid.NewGuid():N}");

    private long _zygoteRunnerFallbacks;

    /// <summary>Warm runners that could not be forked from a zygote and were started in bubblewrap instead.</summary>
    public long ZygoteRunnerFallbacks => Interlocked.Read(ref _zygoteRunnerFallbacks);

    /// <summary>Warm runners forked from zygotes so far.</summary>
    public long ZygoteRunnersStarted => _zygotes?.RunnersStarted ?? 0;

    /// <summary>Loads a session's program into a runner; null (and the runner disposed) when that fails.</summary>
    internal async Task<WarmRunner?> AttachAsync(WarmRunner runner, Language language, CompileEntry entry, CancellationToken ct)
    {
        try
        {
            var (mode, argv) = language.Id == "python"
                ? ("python", (IReadOnlyList<string>)["/box/" + entry.SourceFileName])
                : ("exec", language.Definition.Run(entry.SourceFileName));
            await runner.AttachAsync(entry.Directory!, mode, argv, ct).ConfigureAwait(false);
            return runner;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            runner.Dispose();
            return null;
        }
    }
}
