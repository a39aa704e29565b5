using Microsoft.Win32.SafeHandles;

namespace Crucible.Sandbox.Zygote;

/// <summary>
/// A pre-made cgroup (memory + pids + cpu accounting) with its own uid, that zygote runs are placed in. Made once,
/// reused run after run: limits are rewritten only when they change, counters are reset, and the slot is handed out
/// again only when nothing of its previous run is left in it. The zygote child joins it through the cgroup.procs
/// descriptors opened here (writing "0" moves the writer), so the zygote never sees the cgroup file system.
/// </summary>
internal sealed class CgroupSlot : IDisposable
{
    private readonly RunCgroup _cgroup;
    private (long Memory, int Pids)? _applied;

    public CgroupSlot(int index, uint uid, RunCgroup cgroup)
    {
        Index = index;
        Uid = uid;
        _cgroup = cgroup;
        cgroup.KeepFilesOpen();
        ProcsHandles = cgroup.ProcsFiles.Select(f => File.OpenHandle(f, FileMode.Open, FileAccess.Write)).ToArray();
    }

    public int Index { get; }
    public uint Uid { get; }
    public RunCgroup Cgroup => _cgroup;

    /// <summary>Open cgroup.procs files (one per controller hierarchy), passed to the run's init.</summary>
    public IReadOnlyList<SafeFileHandle> ProcsHandles { get; }

    /// <summary>Runs served so far (for tests that check reuse).</summary>
    public int Runs { get; private set; }

    /// <summary>True when no process is left in the slot, not even one waiting to be reaped.</summary>
    public bool IsEmpty => _cgroup.IsEmpty;

    /// <summary>Sets the run's limits (only when they differ from the last run's) and zeroes the counters.</summary>
    public void Prepare(ResourceLimits limits)
    {
        var wanted = (limits.MemoryBytes, limits.MaxProcesses);
        if (_applied != wanted)
        {
            _cgroup.Apply(limits);
            _applied = wanted;
        }
        _cgroup.ResetCounters();
        Runs++;
    }

    public void Dispose()
    {
        foreach (var h in ProcsHandles) h.Dispose();
        _cgroup.Dispose();
    }
}
