using System.Globalization;

namespace Crucible.Sandbox;

/// <summary>The cgroup(s) of one run: limits, usage, and killing everything inside.</summary>
internal sealed class RunCgroup(CgroupVersion version, string memory, string pids, string cpu, CgroupFeatures features) : IDisposable
{
    /// <summary>The cgroup.procs files a launcher writes its pid into before exec.</summary>
    public IReadOnlyList<string> ProcsFiles =>
        version == CgroupVersion.V2 ? [Path.Combine(memory, "cgroup.procs")]
        : [Path.Combine(memory, "cgroup.procs"), Path.Combine(pids, "cgroup.procs"), Path.Combine(cpu, "cgroup.procs")];

    private OpenCgroupFiles? _open;

    /// <summary>Keeps this cgroup's control files open from now on (for a cgroup reused run after run).</summary>
    public void KeepFilesOpen() => _open ??= new OpenCgroupFiles();

    private string ReadText(string path) => _open?.ReadText(path) ?? CgroupFs.ReadText(path);

    private string[] ReadLines(string path) => CgroupFs.Lines(ReadText(path));

    private void WriteText(string path, string text)
    {
        if (_open is { } open) open.WriteText(path, text);
        else CgroupFs.WriteText(path, text);
    }

    private void TryWrite(string path, string text)
    {
        try { WriteText(path, text); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public void Apply(ResourceLimits limits)
    {
        foreach (var d in new[] { memory, pids, cpu }.Distinct()) Directory.CreateDirectory(d);
        var mem = limits.MemoryBytes.ToString(CultureInfo.InvariantCulture);
        var procs = limits.MaxProcesses.ToString(CultureInfo.InvariantCulture);
        if (version == CgroupVersion.V2)
        {
            WriteText(Path.Combine(memory, "memory.max"), mem);
            TryWrite(Path.Combine(memory, "memory.swap.max"), "0");
            WriteText(Path.Combine(pids, "pids.max"), procs);
        }
        else
        {
            // memory.limit_in_bytes may never exceed memsw: raise memsw first, lower it after (a reused slot goes both ways).
            if (features.SwapAccounting) TryWrite(Path.Combine(memory, "memory.memsw.limit_in_bytes"), mem);
            WriteText(Path.Combine(memory, "memory.limit_in_bytes"), mem);
            if (features.SwapAccounting) TryWrite(Path.Combine(memory, "memory.memsw.limit_in_bytes"), mem);
            WriteText(Path.Combine(pids, "pids.max"), procs);
        }
    }

    // Counters that cannot be reset are read relative to their value when a reused cgroup (a zygote slot) was reset.
    private TimeSpan _cpuBase;
    private long _oomKillBase, _maxEventsBase;

    /// <summary>
    /// Makes a reused, empty cgroup read like a fresh one: peak memory, failure count and CPU usage start from zero
    /// (reset where the kernel allows it, otherwise measured from here).
    /// </summary>
    public void ResetCounters()
    {
        _cpuBase = TimeSpan.Zero;
        _oomKillBase = _maxEventsBase = 0;
        if (version == CgroupVersion.V1)
        {
            TryWrite(Path.Combine(cpu, "cpuacct.usage"), "0");
            TryWrite(Path.Combine(memory, "memory.max_usage_in_bytes"), "0");
            TryWrite(Path.Combine(memory, "memory.failcnt"), "0");
        }
        _cpuBase = CpuTime();
        _oomKillBase = MemoryEvent(version == CgroupVersion.V2 ? "memory.events" : "memory.oom_control", "oom_kill ");
        if (version == CgroupVersion.V2) _maxEventsBase = MemoryEvent("memory.events", "max ");
    }

    private long MemoryEvent(string file, string prefix)
    {
        try
        {
            foreach (var line in ReadLines(Path.Combine(memory, file)))
                if (line.StartsWith(prefix, StringComparison.Ordinal)) return long.Parse(line.AsSpan(prefix.Length), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException) { }
        return 0;
    }

    /// <summary>CPU time of the whole tree so far.</summary>
    public TimeSpan CpuTime() => CpuTimeSinceCreation() - _cpuBase;

    private TimeSpan CpuTimeSinceCreation() => CpuUsageOf(cpu, version, ReadText);

    /// <summary>CPU time charged to a cgroup and all below it (removed children included) since it was made.</summary>
    internal static TimeSpan CpuUsageOf(string cpu, CgroupVersion version) => CpuUsageOf(cpu, version, CgroupFs.ReadText);

    private static TimeSpan CpuUsageOf(string cpu, CgroupVersion version, Func<string, string> read)
    {
        try
        {
            if (version == CgroupVersion.V2)
            {
                foreach (var line in CgroupFs.Lines(read(Path.Combine(cpu, "cpu.stat"))))
                    if (line.StartsWith("usage_usec ", StringComparison.Ordinal))
                        return TimeSpan.FromMicroseconds(long.Parse(line.AsSpan(11), CultureInfo.InvariantCulture));
                return TimeSpan.Zero;
            }
            var ns = long.Parse(read(Path.Combine(cpu, "cpuacct.usage")).AsSpan().Trim(), CultureInfo.InvariantCulture);
            return TimeSpan.FromTicks(ns / 100);
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return TimeSpan.Zero;
        }
    }

    public long PeakMemory()
    {
        var file = version == CgroupVersion.V2 ? "memory.peak" : "memory.max_usage_in_bytes";
        try { return long.Parse(ReadText(Path.Combine(memory, file)).AsSpan().Trim(), CultureInfo.InvariantCulture); }
        catch (Exception e) when (e is IOException or FormatException) { return 0; }
    }

    /// <summary>True when the kernel's OOM killer killed something in this run, or the limit was hit hard.</summary>
    public bool OomKilled()
    {
        try
        {
            var file = version == CgroupVersion.V2 ? "memory.events" : "memory.oom_control";
            foreach (var line in ReadLines(Path.Combine(memory, file)))
                if (line.StartsWith("oom_kill ", StringComparison.Ordinal) && long.Parse(line.AsSpan(9), CultureInfo.InvariantCulture) > _oomKillBase)
                    return true;
        }
        catch (Exception e) when (e is IOException or FormatException) { }
        return false;
    }

    /// <summary>True when the cgroup is out of memory with no process its OOM killer may kill (v1 <c>under_oom</c>).</summary>
    public bool UnderOom()
    {
        if (version == CgroupVersion.V2) return false; // v2 always kills (or fails the charge); there is no stalled state
        try
        {
            foreach (var line in ReadLines(Path.Combine(memory, "memory.oom_control")))
                if (line.StartsWith("under_oom ", StringComparison.Ordinal)) return line.AsSpan(10).Trim() is not "0";
        }
        catch (Exception e) when (e is IOException or FormatException) { }
        return false;
    }

    /// <summary>True when allocations failed at the limit (the program may have died of it without an OOM kill).</summary>
    public bool HitLimit()
    {
        try
        {
            if (version == CgroupVersion.V2)
            {
                foreach (var line in ReadLines(Path.Combine(memory, "memory.events")))
                    if (line.StartsWith("max ", StringComparison.Ordinal) && long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture) > _maxEventsBase)
                        return true;
                return false;
            }
            return long.Parse(ReadText(Path.Combine(memory, "memory.failcnt")).AsSpan().Trim(), CultureInfo.InvariantCulture) > 0;
        }
        catch (Exception e) when (e is IOException or FormatException) { return false; }
    }

    /// <summary>Host pids of the processes in this cgroup now.</summary>
    public List<int> Pids()
    {
        var list = new List<int>();
        try
        {
            foreach (var l in CgroupFs.ReadLines(Path.Combine(pids, "cgroup.procs"))) // afresh: see KillAll
                if (int.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)) list.Add(pid);
        }
        catch (IOException) { }
        return list;
    }

    /// <summary>Moves a process (by host pid) into this run's cgroups; its future children follow it.</summary>
    public void Adopt(int pid)
    {
        var text = pid.ToString(CultureInfo.InvariantCulture);
        foreach (var f in ProcsFiles) CgroupFs.WriteText(f, text);
    }

    /// <summary>SIGKILLs every process in the run until none is left (stopped ones included: SIGKILL ends them too).</summary>
    // cgroup.procs is always opened afresh: cgroup v1 keeps the pid list it rendered for an open file for a second and
    // would serve a read from the start of the same descriptor from that stale list. A run that left nothing behind
    // (the usual case) is recognised from its task count alone, without that open.
    public void KillAll()
    {
        if (TaskCount() == 0) return;
        KillAllIn(pids, version, CgroupFs.ReadText, TryWrite);
    }

    /// <summary>
    /// Tasks charged to the run's pids controller (pids.current): every thread of every process, dead ones included
    /// until their parent reaps them, so zero means nothing of the run is left at all. A counter, read from a kept-open
    /// descriptor in a reused cgroup. Null when it cannot be read (no pids controller): ask <see cref="Pids"/> then.
    /// </summary>
    public long? TaskCount()
    {
        try { return long.Parse(ReadText(Path.Combine(pids, "pids.current")).AsSpan().Trim(), CultureInfo.InvariantCulture); }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>True when no task of the run is left, dead or alive.</summary>
    public bool IsEmpty => TaskCount() is { } n ? n == 0 : Pids().Count == 0;

    private static void KillAllIn(string dir, CgroupVersion version, Func<string, string> read, Action<string, string> tryWrite)
    {
        if (version == CgroupVersion.V2)
        {
            tryWrite(Path.Combine(dir, "cgroup.kill"), "1");
        }
        var procs = Path.Combine(dir, "cgroup.procs");
        for (var attempt = 0; attempt < 200; attempt++)
        {
            string[] lines;
            try { lines = CgroupFs.Lines(read(procs)); }
            catch (IOException) { return; }
            if (lines.Length == 0) return;
            foreach (var l in lines)
                if (int.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
                    Libc.kill(pid, Libc.SIGKILL);
            Thread.Sleep(attempt < 10 ? 1 : 10);
        }
    }

    internal static void RemoveWithKill(string dir)
    {
        KillAllIn(dir, File.Exists(Path.Combine(dir, "cgroup.kill")) ? CgroupVersion.V2 : CgroupVersion.V1, CgroupFs.ReadText, CgroupRuntime.TryWrite);
        for (var i = 0; i < 100; i++)
        {
            try { Directory.Delete(dir); return; }
            catch (IOException) { Thread.Sleep(5); }
            catch (UnauthorizedAccessException) { return; }
        }
    }

    public void Dispose()
    {
        KillAll();
        _open?.Dispose(); // an open control file would not stop the removal, but it is of no use after it
        _open = null;
        foreach (var d in new[] { memory, pids, cpu }.Distinct())
        {
            for (var i = 0; i < 100; i++)
            {
                try { Directory.Delete(d); break; }
                catch (DirectoryNotFoundException) { break; }
                catch (IOException) { Thread.Sleep(5); KillAll(); } // a process not yet gone: sweep again
                catch (UnauthorizedAccessException) { break; }
            }
        }
    }
}
