namespace Crucible.Sandbox;

/// <summary>
/// The rlimits a forked run sets for itself from its <see cref="ResourceLimits"/>: the zygote's native set-up reads
/// them by number, a warm runner by name (Python's <c>resource</c> module). The cold launcher sets the same limits
/// with <c>ulimit</c> in the units that takes (SandboxRunner).
/// </summary>
internal static class RunRlimits
{
    /// <summary>Each limit by its name in Python's <c>resource</c> module and its Linux number (x86-64 and the generic ABI alike).</summary>
    public static IReadOnlyList<(string Name, int Resource, long Soft, long Hard)> For(ResourceLimits limits)
    {
        // Soft below hard: the kernel's CPU limit announces itself with SIGXCPU (read as TimeLimitExceeded).
        var cpuSeconds = (long)Math.Ceiling(limits.CpuTime.TotalSeconds) + 1;
        var stack = Math.Min(limits.MemoryBytes, 1L << 30);
        return
        [
            ("RLIMIT_CPU", 0, cpuSeconds, cpuSeconds + 1),
            ("RLIMIT_FSIZE", 1, limits.MaxFileBytes, limits.MaxFileBytes),
            ("RLIMIT_NOFILE", 7, limits.MaxOpenFiles, limits.MaxOpenFiles),
            ("RLIMIT_STACK", 3, stack, stack),
            ("RLIMIT_CORE", 4, 0, 0),
        ];
    }
}
