using System.Globalization;

namespace Crucible.Benchmarks;

/// <summary>
/// CPU used by this benchmark: the process itself plus its reaped children (/proc/self/stat utime, stime, cutime,
/// cstime), plus everything the sandbox ran, read from the cpuacct of the cgroups the sandbox pools of this process
/// create (<c>crucible-PID-*</c>; a parent cgroup keeps the usage of its removed children). Warm runners live
/// long and are never reaped, so without the cgroups their work would not be counted.
/// </summary>
internal static class ProcessCpu
{
    public static TimeSpan Now() => Self() + Sandboxes();

    private static TimeSpan Self()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After the command name: field 3 is state, so utime is index 11 (field 14), then stime, cutime, cstime.
            long ticks = 0;
            for (var i = 11; i <= 14; i++) ticks += long.Parse(fields[i], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (IOException)
        {
            return System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        }
    }

    /// <summary>CPU of the sandbox cgroups of this process (v1 cpuacct.usage, or v2 cpu.stat usage_usec).</summary>
    public static TimeSpan Sandboxes()
    {
        var prefix = $"crucible-{Environment.ProcessId}-";
        long nanoseconds = 0;
        foreach (var root in new[] { "/sys/fs/cgroup/cpuacct", "/sys/fs/cgroup/cpu,cpuacct", Own2() })
        {
            if (root is null || !Directory.Exists(root)) continue;
            foreach (var dir in Directory.EnumerateDirectories(root, prefix + "*"))
            {
                try
                {
                    var v1 = Path.Combine(dir, "cpuacct.usage");
                    if (File.Exists(v1)) nanoseconds += long.Parse(File.ReadAllText(v1).Trim(), CultureInfo.InvariantCulture);
                    else
                        foreach (var line in File.ReadLines(Path.Combine(dir, "cpu.stat")))
                            if (line.StartsWith("usage_usec ", StringComparison.Ordinal)) nanoseconds += 1000 * long.Parse(line[11..], CultureInfo.InvariantCulture);
                }
                catch (IOException) { }
            }
            if (nanoseconds > 0) break;
        }
        return TimeSpan.FromTicks(nanoseconds / 100);
    }

    /// <summary>This process's own cgroup v2 directory, under which the sandbox makes its cgroups.</summary>
    private static string? Own2()
    {
        if (!File.Exists("/sys/fs/cgroup/cgroup.controllers")) return null;
        var line = File.ReadLines("/proc/self/cgroup").FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal));
        return line is null ? null : Path.Combine("/sys/fs/cgroup", line[3..].TrimStart('/'));
    }
}
