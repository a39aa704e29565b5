using System.Diagnostics;
using Crucible.Sandbox;

namespace Crucible.Sandbox.Tests;

/// <summary>
/// Bubblewrap's --die-with-parent kills the sandbox when the thread that started it exits (PR_SET_PDEATHSIG follows
/// threads, and thread-pool threads exit when idle): sandboxes must be started from a thread that lives as long as
/// the process.
/// </summary>
public sealed class LauncherThreadTests
{
    // Only /usr is bound: a recursive bind of / copies every host mount, and one that another test unmounts meanwhile
    // (a session's tmpfs) made bubblewrap fail to start (exit 1) in a loaded full run.
    private static ProcessStartInfo Sleeper() =>
        new("/usr/bin/bwrap", ["--die-with-parent", "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/bin", "/bin", "--dev", "/dev", "--proc", "/proc", "/usr/bin/sleep", "30"]) { UseShellExecute = false };

    // The requesting thread stays a while after the start (bubblewrap sets its parent-death signal as it starts up),
    // then ends, as an idle thread-pool thread does.
    private static Process StartFromAThreadThatEnds(Func<ProcessStartInfo, Process> start)
    {
        Process? started = null;
        var thread = new Thread(() =>
        {
            started = start(Sleeper());
            Thread.Sleep(500);
        });
        thread.Start();
        thread.Join();
        return started!;
    }

    [Fact]
    public async Task A_sandbox_outlives_the_thread_that_asked_for_it()
    {
        Assert.SkipUnless(File.Exists("/usr/bin/bwrap") && Libc.IsRoot, "needs bubblewrap and root");
        // The kernel's behaviour, shown: started straight from a thread that then ends, the sandbox is killed.
        using var direct = StartFromAThreadThatEnds(psi => Process.Start(psi)!);
        await direct.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(137, direct.ExitCode);

        using var launched = StartFromAThreadThatEnds(LauncherThread.Start);
        try
        {
            await Task.Delay(500);
            Assert.False(launched.HasExited, $"the sandbox died with its requesting thread (exit {(launched.HasExited ? launched.ExitCode : 0)})");
        }
        finally
        {
            launched.Kill();
            await launched.WaitForExitAsync();
        }
    }
}
