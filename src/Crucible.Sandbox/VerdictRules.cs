namespace Crucible.Sandbox;

/// <summary>
/// Decides a run's verdict from what the host observed (<see cref="RunFacts"/>). Two rules shape it:
/// <list type="bullet">
/// <item>The kill and the verdict agree: a run the host killed for a limit gets that limit's verdict, whatever the
/// numbers measured afterwards read; a kernel limit we set (RLIMIT_CPU's SIGXCPU, RLIMIT_FSIZE's SIGXFSZ) is ours too.</item>
/// <item><see cref="Verdict.SandboxError"/> needs positive evidence that the infrastructure failed. Anything the
/// program could have caused (filling its memory limit so that the OOM killer hits the sandbox, holding its output
/// pipes open through another process) gets the program's verdict.</item>
/// </list>
/// </summary>
internal static class VerdictRules
{
    public const int SIGKILL = 9, SIGXCPU = 24, SIGXFSZ = 25;

    public static (Verdict Verdict, TimeLimitKind Kind, string? Message) Decide(RunFacts f, ResourceLimits limits)
    {
        var cpuExceeded = $"CPU time exceeded {limits.CpuTime.TotalSeconds:0.###} s";
        var memoryExceeded = $"memory exceeded {limits.MemoryBytes} bytes";
        // The OOM killer fired, or the cgroup is stuck at its limit with nothing left to kill: the program's memory.
        var outOfMemory = f.HasCgroup && (f.OomKilled || f.UnderOom);
        switch (f.KilledFor)
        {
            case KillReason.Output: return (Verdict.OutputLimitExceeded, TimeLimitKind.None, $"output exceeded {limits.MaxOutputBytes} bytes");
            case KillReason.Cpu: return (Verdict.TimeLimitExceeded, TimeLimitKind.Cpu, cpuExceeded);
            case KillReason.Wall when outOfMemory: return (Verdict.MemoryLimitExceeded, TimeLimitKind.None, memoryExceeded + " (the run stalled at its memory limit)");
            case KillReason.Wall: return (Verdict.TimeLimitExceeded, TimeLimitKind.Wall, $"wall time exceeded {limits.EffectiveWallTime.TotalSeconds:0.###} s");
        }
        if (f.Status.SetupFailure is { } why)
        {
            // Bubblewrap ended without reporting the program's exit. If the run's memory was exhausted, the program
            // did that (bubblewrap itself needs a few hundred KiB): the OOM killer or a failed allocation took the
            // sandbox down with it. Otherwise the set-up failed: ours to answer for.
            if (f.HasCgroup && (outOfMemory || f.HitMemoryLimit))
                return (Verdict.MemoryLimitExceeded, TimeLimitKind.None, memoryExceeded + " (the sandbox around the program was killed with it)");
            return (Verdict.SandboxError, TimeLimitKind.None, why);
        }
        var nonZero = f.Status.Code is not 0 || f.Status.Signal is not null;
        if (f.HasCgroup && (outOfMemory || (f.HitMemoryLimit && nonZero)))
            return (Verdict.MemoryLimitExceeded, TimeLimitKind.None, memoryExceeded);
        if (f.CpuTime > limits.CpuTime || f.Status.Signal == SIGXCPU)
            return (Verdict.TimeLimitExceeded, TimeLimitKind.Cpu, cpuExceeded);
        if (f.Status.Signal == SIGXFSZ)
            return (Verdict.OutputLimitExceeded, TimeLimitKind.None, $"file size exceeded {limits.MaxFileBytes} bytes");
        if (f.PipesHeldOpen)
            return (Verdict.RuntimeError, TimeLimitKind.None,
                "the program's output stayed open after all its processes ended (it handed its stdout/stderr elsewhere); its output is incomplete");
        if (f.Status.Code == 0 && f.Status.Signal is null) return (Verdict.Ok, TimeLimitKind.None, null);
        return (Verdict.RuntimeError, TimeLimitKind.None, f.Status.Signal is { } s ? $"killed by signal {s}" : $"exit code {f.Status.Code}");
    }
}
