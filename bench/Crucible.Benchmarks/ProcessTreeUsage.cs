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

    /// <summary>CPU seconds the sampler itself used: the measuring, not the measured, so callers subtract it.</summary>
    public double SamplerCpuSeconds { get; private set; }

    private void Sample()
    {
        var tid = gettid();
        try
        {
            SampleUntilStopped();
        }
        finally
        {
            SamplerCpuSeconds = ThreadCpuSeconds(tid);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = false)]
    private static extern int gettid();

    private static double ThreadCpuSeconds(int tid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/self/task/{tid}/stat");
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private void SampleUntilStopped()
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
    /// <remarks>
    /// Walks down from the root through each thread's <c>children</c> list instead of scanning all of /proc: the
    /// sampler runs inside the measured process, and a scan of every process on the machine 20 times a second was
    /// a visible share of the CPU it was measuring.
    /// </remarks>
    public static long TreeRss(int root)
    {
        long total = 0;
        var pending = new Stack<int>();
        pending.Push(root);
        var seen = new HashSet<int>();
        while (pending.Count > 0)
        {
            var pid = pending.Pop();
            if (!seen.Add(pid)) continue;
            try
            {
                var statm = File.ReadAllText($"/proc/{pid}/statm").Split(' ');
                total += long.Parse(statm[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
                foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
                    foreach (var child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        if (int.TryParse(child, NumberStyles.None, CultureInfo.InvariantCulture, out var c)) pending.Push(c);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return total;
    }

    /// <summary>CPU of this process alone (no children): the host's own share of the work.</summary>
    public static double CpuSecondsSelf() => CpuSeconds(children: false);

    /// <summary>CPU seconds of this process and of all its reaped descendants (utime + stime, cutime + cstime).</summary>
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
