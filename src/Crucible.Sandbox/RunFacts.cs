namespace Crucible.Sandbox;

/// <summary>
/// Everything the host observed about one finished run, from outside the program. The verdict is a pure function of
/// these facts (<see cref="VerdictRules"/>), so the same facts always give the same verdict.
/// </summary>
internal readonly record struct RunFacts
{
    /// <summary>Which limit the host's watchdog killed the run for, if any.</summary>
    public KillReason KilledFor { get; init; }

    /// <summary>How the program ended (exit code, signal), or why bubblewrap never reported an end.</summary>
    public ExitStatus Status { get; init; }

    /// <summary>CPU time of the run's whole tree, from its cgroup (or wall time without cgroups).</summary>
    public TimeSpan CpuTime { get; init; }

    /// <summary>The cgroup's OOM killer killed a process of this run.</summary>
    public bool OomKilled { get; init; }

    /// <summary>The cgroup is (or was left) out of memory with nothing left it may kill.</summary>
    public bool UnderOom { get; init; }

    /// <summary>A charge against the run's memory limit failed at least once.</summary>
    public bool HitMemoryLimit { get; init; }

    /// <summary>The run's stdout/stderr stayed open after every process of the run had ended.</summary>
    public bool PipesHeldOpen { get; init; }

    public bool HasCgroup { get; init; }
}

/// <summary>Why the host's watchdog stopped a run.</summary>
internal enum KillReason
{
    None,
    Output,
    Cpu,
    Wall,
    Cancelled,
}
