using System.Collections.Concurrent;
using System.Diagnostics;

namespace Crucible.Sandbox;

/// <summary>
/// Starts sandbox processes from one thread that lives as long as this process. Bubblewrap's <c>--die-with-parent</c>
/// is PR_SET_PDEATHSIG, which the kernel fires when the <em>thread</em> that forked bubblewrap exits, not the process:
/// a zygote or warm runner started from a thread-pool thread was SIGKILLed whenever the pool retired that thread after
/// it sat idle (zygotes dying with exit status 137 in the middle of runs, seen in CI and in long evaluations), and so
/// was any run longer than a retired thread's idle time. From this thread, the kill comes only when the process ends.
/// </summary>
internal static class LauncherThread
{
    private static readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> Requests = new();
    private static readonly Thread Launcher = StartThread();

    private static Thread StartThread()
    {
        var thread = new Thread(Serve) { IsBackground = true, Name = "crucible sandbox launcher" };
        thread.Start();
        return thread;
    }

    private static void Serve()
    {
        foreach (var (info, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                started.TrySetResult(Process.Start(info) ?? throw new IOException("Process.Start returned null"));
            }
            catch (Exception e)
            {
                started.TrySetException(e);
            }
        }
    }

    /// <summary>Starts the process from the launcher thread and returns it; throws what <see cref="Process.Start(ProcessStartInfo)"/> throws.</summary>
    public static Process Start(ProcessStartInfo info)
    {
        if (Thread.CurrentThread == Launcher) return Process.Start(info) ?? throw new IOException("Process.Start returned null");
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((info, started));
        return started.Task.GetAwaiter().GetResult();
    }
}
