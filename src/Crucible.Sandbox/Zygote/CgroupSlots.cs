using System.Collections.Concurrent;

namespace Crucible.Sandbox.Zygote;

/// <summary>
/// The fixed set of <see cref="CgroupSlot"/>s zygote runs use. A slot comes back after its run; one that still holds a
/// process (something the run left behind) is killed and kept aside until it is empty, and only then used again.
/// </summary>
internal sealed class CgroupSlots : IDisposable
{
    private readonly ConcurrentQueue<CgroupSlot> _free = new();
    private readonly ConcurrentQueue<CgroupSlot> _draining = new();
    private readonly List<CgroupSlot> _all = [];
    private long _waits;

    public CgroupSlots(CgroupRuntime cgroups, IReadOnlyList<uint> uids)
    {
        try
        {
            for (var i = 0; i < uids.Count; i++)
            {
                var cg = cgroups.CreateRun(ResourceLimits.Default) ?? throw new IOException("zygote slots need cgroups");
                var slot = new CgroupSlot(i, uids[i], cg);
                _all.Add(slot);
                _free.Enqueue(slot);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IReadOnlyList<CgroupSlot> All => _all;

    /// <summary>Slots set aside because a process was left in them.</summary>
    public int Draining => _draining.Count;

    /// <summary>An empty slot, or null when every slot is busy or still draining.</summary>
    public CgroupSlot? TryAcquire()
    {
        for (var n = _draining.Count; n > 0 && _draining.TryDequeue(out var d); n--)
        {
            if (d.IsEmpty) _free.Enqueue(d);
            else { Sweep(d); _draining.Enqueue(d); }
        }
        while (_free.TryDequeue(out var slot))
        {
            if (slot.IsEmpty) return slot;
            Sweep(slot);
            _draining.Enqueue(slot);
        }
        return null;
    }

    /// <summary>
    /// An empty slot, waiting while every slot is still draining (the previous run's init may take a moment to leave
    /// after it reported); null only when none empties within <paramref name="patience"/>.
    /// </summary>
    public async Task<CgroupSlot?> AcquireAsync(TimeSpan patience, CancellationToken ct)
    {
        var deadline = Environment.TickCount64 + (long)patience.TotalMilliseconds;
        while (true)
        {
            if (TryAcquire() is { } slot) return slot;
            if (Environment.TickCount64 >= deadline) return null;
            Interlocked.Increment(ref _waits);
            await Task.Delay(1, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Times a run found every slot busy or draining and waited (for /metrics and tests).</summary>
    public long Waits => Interlocked.Read(ref _waits);

    /// <summary>Returns a slot after its run; it is reused only once empty.</summary>
    public void Release(CgroupSlot slot)
    {
        if (slot.IsEmpty) _free.Enqueue(slot);
        else
        {
            Sweep(slot);
            _draining.Enqueue(slot);
        }
    }

    // One SIGKILL to everything in the slot, without waiting: the request path never blocks on a leftover.
    private static void Sweep(CgroupSlot slot)
    {
        foreach (var pid in slot.Cgroup.Pids()) Libc.kill(pid, Libc.SIGKILL);
    }

    public void Dispose()
    {
        foreach (var s in _all) s.Dispose();
    }
}
