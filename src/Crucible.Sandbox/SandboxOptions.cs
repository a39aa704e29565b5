namespace Crucible.Sandbox;

/// <summary>Configuration of a <see cref="SandboxPool"/>.</summary>
public sealed record SandboxOptions
{
    /// <summary>Where sessions, the compile cache and run status files live on the host. Never inside the checkout.</summary>
    public string StateRoot { get; init; } = DefaultStateRoot();

    /// <summary>
    /// Runs (and compilations) executing at once; defaults to one more than the number of cores. A run holds its
    /// slot through hand-offs that use no CPU of its own (the request to the zygote, the fork, pipe and reply
    /// wake-ups, the host reading the cgroup's counters); with exactly one slot per core those moments left a core
    /// idle, about a fifth of the time for short runs (docs/hot-path.md, "Session 8"). One extra slot keeps the cores
    /// busy while a CPU-bound run still gets at least cores/(cores+1) of a core, well inside the default wall limit
    /// of twice the CPU limit plus a second.
    /// </summary>
    public int MaxParallelRuns { get; init; } = Environment.ProcessorCount + 1;

    /// <summary>Sessions open at once; each holds its own uid and work dir. Callers beyond it wait.</summary>
    public int MaxSessions { get; init; } = 64;

    /// <summary>First uid of the range sessions run as (one uid per open session).</summary>
    public uint BaseUid { get; init; } = 200_000;

    /// <summary>Size cap of each session's work dir (a tmpfs when running as root).</summary>
    public long WorkDirBytes { get; init; } = 64L << 20;

    /// <summary>
    /// Files (inodes) a session may have in /work, and again in /tmp. Empty files cost no bytes but pin kernel
    /// memory for as long as the session lives; this bounds it (about 1 KiB each).
    /// </summary>
    public long WorkDirInodes { get; init; } = 16_384;

    /// <summary>
    /// Total bytes the compile cache may hold on disk; past it the least recently used entries no session holds are
    /// evicted. Its size is <see cref="CompileCache.SizeBytes"/> (for /metrics).
    /// </summary>
    public long CompileCacheBudgetBytes { get; init; } = 2L << 30;

    /// <summary>Largest compiled artifact (all files a compiler leaves, together); a bigger one is a compile error.</summary>
    public long MaxArtifactBytes { get; init; } = 64L << 20;

    /// <summary>Total bytes one run's fetch_files may return (each file is also capped by the run's MaxFileBytes).</summary>
    public long MaxFetchBytes { get; init; } = 64L << 20;

    /// <summary>Default limits for runs.</summary>
    public ResourceLimits RunLimits { get; init; } = ResourceLimits.Default;

    /// <summary>Limits for compilers.</summary>
    public ResourceLimits CompileLimits { get; init; } = ResourceLimits.Compile;

    /// <summary>Largest accepted source, in bytes.</summary>
    public int MaxSourceBytes { get; init; } = 1 << 20;

    /// <summary>
    /// Run tests through a warm runner per session (a sandboxed process that forks a child per run) instead of a
    /// fresh sandbox per run. Needs cgroups; falls back to cold runs whenever a runner is unavailable or misbehaves.
    /// </summary>
    public bool WarmRunners { get; init; } = true;

    /// <summary>Runners kept started ahead of demand, so opening a session does not wait for sandbox and interpreter set-up.</summary>
    public int PrestartedRunners { get; init; } = 2;

    /// <summary>A runner is replaced after this many runs.</summary>
    public int MaxRunsPerRunner { get; init; } = 500;

    /// <summary>
    /// Run Python sessions' runs (until a run needs files of the session's work dir) in children forked from a
    /// per-flavour zygote: a fork plus namespaces instead of a sandbox and interpreter start. Needs root and cgroups.
    /// </summary>
    public bool Zygotes { get; init; } = true;

    /// <summary>
    /// With zygotes, start warm runners as children of a Python zygote (a fork, a few ms of CPU) rather than as
    /// bubblewrap sandboxes of their own (~40 ms); a runner that cannot be forked is still started in bubblewrap.
    /// Off only to compare the two, or to rule the zygote start out.
    /// </summary>
    public bool ZygoteRunners { get; init; } = true;

    /// <summary>
    /// Tests of the fallback only: zygote runner requests ask for an impossible /tmp (-1 inodes), so their set-up
    /// fails inside the zygote child, as a kernel without open_tree/move_mount would make it fail.
    /// </summary>
    internal bool BreakZygoteRunnerSetUp { get; init; }

    /// <summary>Pre-made cgroup slots (each with its own uid) for zygote runs; 0: two per parallel run, plus two.</summary>
    public int ZygoteSlots { get; init; }

    /// <summary>
    /// With zygotes, the run of a session from which it builds its own work dir and warm runner in the background.
    /// A runner costs ~45 ms of CPU to start and saves a few ms per run against a zygote fork, so it pays off only for
    /// sessions with many runs; an EvalPlus sample (a base and a plus run) or a one-test reward never starts one.
    /// </summary>
    public int OwnRunnerFromRun { get; init; } = 8;

    /// <summary>
    /// With zygotes, a session opened for at least this many runs (the caller's estimate, e.g. a judge with that many
    /// stdin tests) takes a warm runner at once instead of forking a zygote per run: a pre-started runner makes each
    /// run a cheap fork, and starting one half-way (<see cref="OwnRunnerFromRun"/>) pays for both paths.
    /// </summary>
    public int RunnerSessionFromRuns { get; init; } = 8;

    /// <summary>
    /// A zygote that has served runs and then sat idle this long is replaced by a fresh one (started at once, so the
    /// next run does not wait): a long-lived server does not keep a process whose memory its last runs shaped.
    /// Zero turns it off.
    /// </summary>
    public TimeSpan ZygoteIdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A zygote is replaced after this many runs.</summary>
    public int MaxRunsPerZygote { get; init; } = 20_000;

    /// <summary>Load the seccomp filter (docs/sandbox.md) into every sandboxed process. Off only to measure its cost.</summary>
    public bool Seccomp { get; init; } = true;

    public string BubblewrapPath { get; init; } = "/usr/bin/bwrap";
    public string SetprivPath { get; init; } = "/usr/bin/setpriv";

    /// <summary>util-linux's choom, which sets a program's OOM score inside the sandbox (skipped when absent).</summary>
    public string ChoomPath { get; init; } = "/usr/bin/choom";

    /// <summary>
    /// The host stops a run as soon as its cgroup's CPU time passes the limit. Off only in tests that need the
    /// kernel's own CPU limit (RLIMIT_CPU) to fire first.
    /// </summary>
    internal bool HostCpuWatchdog { get; init; } = true;

    /// <summary>Turns cgroups off (rlimits only). For tests of the fallback.</summary>
    public bool DisableCgroups { get; init; }

    public static string DefaultStateRoot()
    {
        var env = Environment.GetEnvironmentVariable("CRUCIBLE_STATE");
        if (!string.IsNullOrEmpty(env)) return env;
        if (Libc.IsRoot) return "/var/lib/crucible";
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cache)) cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "crucible");
    }
}
