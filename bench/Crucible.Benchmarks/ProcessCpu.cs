using System.Globalization;

namespace Crucible.Benchmarks;

/// <summary>
/// CPU time of this process plus its reaped children (the sandboxes), from /proc/self/stat (utime, stime, cutime,
/// cstime) — the per-process view of cpuacct, which still counts when the machine is shared.
/// </summary>
internal static class ProcessCpu
{
    public static TimeSpan Now()
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
}
