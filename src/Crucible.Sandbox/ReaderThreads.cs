namespace Crucible.Sandbox;

/// <summary>
/// Threads for blocking reads of run output (<see cref="OutputReader"/>), kept parked between runs. A run reads two
/// pipes; starting and ending two threads for every single run cost more CPU than waking two parked ones. A thread
/// idle for <see cref="IdleTimeout"/> ends, so a quiet host keeps none.
/// </summary>
internal static class ReaderThreads
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(20);
    private static readonly Lock Gate = new();
    private static readonly List<Worker> Idle = []; // the most recently parked last

    /// <summary>Runs <paramref name="work"/> on a parked thread, or a new one when none is idle.</summary>
    public static void Run(Action work)
    {
        Worker? worker = null;
        lock (Gate)
            if (Idle.Count > 0)
            {
                worker = Idle[^1];
                Idle.RemoveAt(Idle.Count - 1);
            }
        if (worker is not null)
        {
            worker.Give(work);
            return;
        }
        worker = new Worker(work);
        new Thread(worker.Loop) { IsBackground = true, Name = "crucible run output" }.UnsafeStart();
    }

    private sealed class Worker(Action first)
    {
        private readonly object _signal = new();
        private Action? _work = first;

        public void Give(Action work)
        {
            lock (_signal)
            {
                _work = work;
                Monitor.Pulse(_signal);
            }
        }

        public void Loop()
        {
            while (true)
            {
                Action work;
                lock (_signal)
                {
                    while (_work is null)
                    {
                        if (Monitor.Wait(_signal, IdleTimeout) || _work is not null) continue;
                        // Timed out: end, unless a caller took this worker off the idle stack and its work is on the way.
                        lock (Gate)
                            if (Idle.Remove(this)) return;
                    }
                    work = _work;
                    _work = null;
                }
                try { work(); }
                catch (Exception) { /* the work reports its own failures (OutputReader completes in a finally) */ }
                lock (Gate) Idle.Add(this);
            }
        }
    }
}
