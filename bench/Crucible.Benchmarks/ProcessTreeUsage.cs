using System.Globalization;

namespace Crucible.Benchmarks;

/// <summary>
/// Peak resident memory of a process tree (the process and every descendant, sandboxed ones included), sampled from
/// /proc every 50 ms, and CPU time of this process plus its reaped descendants. The same measurement is applied to
/// both sides of a comparison.
/// </summary>
internal sealed class ProcessTreeUsage : IDisposable
{
    private readonly int _root;
    private readonly Thread _sampler;
    private volatile bool _stop;
    private long _peak;

    private ProcessTreeUsage(int root)
    {
        _root = root;
        _sampler = new Thread(Sample) { IsBackground = true, Name = "tree-rss" };
        _sampler.Start();
    }

    public static ProcessTreeUsage Watch(int rootPid) => new(rootPid);

    public long PeakBytes => Interlocked.Read(ref _peak);

    private void Sample()
    {
        while (!_stop)
        {
            var rss = TreeRss(_root);
            long seen;
            while (rss > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, rss, seen) != seen) { }
            Thread.Sleep(50);
        }
    }

    public void Dispose()
    {
        _stop = true;
        _sampler.Join();
    }

    /// <summary>Sum of resident set sizes of <paramref name="root"/> and its descendants.</summary>
    public static long TreeRss(int root)
    {
        var parent = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parent[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        long total = 0;
        foreach (var pid in parent.Keys)
        {
            var p = pid;
            for (var hops = 0; hops < 64 && p > 1 && p != root; hops++) p = parent.GetValueOrDefault(p);
            if (p != root) continue;
            try
            {
                var statm = File.ReadAllText($"/proc/{pid}/statm").Split(' ');
                total += long.Parse(statm[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return total;
    }

    /// <summary>CPU seconds of this process and of all its reaped descendants (utime + stime, cutime + cstime).</summary>
    /// <summary>CPU of this process alone (no children): the host's own share of the work.</summary>
    public static double CpuSecondsSelf() => CpuSeconds(children: false);

    public static double CpuSecondsSelfAndChildren() => CpuSeconds(children: true);

    private static double CpuSeconds(bool children)
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields after the command: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14), in clock ticks.
        var ticks = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
        if (children) ticks += long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }
}
