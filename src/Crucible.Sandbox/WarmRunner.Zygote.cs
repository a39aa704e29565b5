using System.IO.Pipes;
using System.Net.Sockets;
using Crucible.Sandbox.Zygote;
using Microsoft.Win32.SafeHandles;

namespace Crucible.Sandbox;

/// <summary>
/// A warm runner started as a child of a Python zygote (docs/sandbox.md, "Zygotes"): a fork of an interpreter that
/// has already imported warm_runner.py and the preloaded modules, set up by the zygote's native code like a run
/// (namespaces, mounts, uid, rlimits, no_new_privs, seccomp) but with the session's own /work and the runner's /box,
/// attached from detached mount clones the host hands over. Serves the same protocol as a bubblewrap runner, on a
/// socket pair instead of a named socket.
/// </summary>
internal sealed partial class WarmRunner
{
    public static async Task<WarmRunner> StartInZygoteAsync(Zygotes zygotes, string flavour, CgroupRuntime cgroups, string root, uint uid,
        SessionWorkDir work, ResourceLimits runnerLimits, int inodes, CancellationToken cancellationToken)
    {
        var box = Path.Combine(root, "box");
        Directory.CreateDirectory(box);
        RunCgroup? cg = null;
        Socket? control = null;
        StreamTail? output = null;
        AnonymousPipeServerStream? pipe = null;
        Task<ExitStatus>? exited = null;
        try
        {
            cg = cgroups.CreateRun(runnerLimits) ?? throw new IOException("warm runners need cgroups");
            // Every descriptor handed over is the runner's only; the host closes its copies once they are sent.
            SafeFileHandle runnerEnd;
            (control, runnerEnd) = ZygoteNative.SocketPair();
            using (runnerEnd)
            using (var workTree = ZygoteNative.CloneTree(work.Path))
            using (var boxTree = ZygoteNative.CloneTree(box))
            using (var devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Read))
            {
                pipe = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.None);
                var procs = cg.ProcsFiles.Select(f => File.OpenHandle(f, FileMode.Open, FileAccess.Write)).ToList();
                try
                {
                    var stdout = (int)pipe.ClientSafePipeHandle.DangerousGetHandle();
                    int[] fds =
                    [
                        (int)runnerEnd.DangerousGetHandle(), (int)devNull.DangerousGetHandle(), stdout, stdout,
                        (int)workTree.DangerousGetHandle(), (int)boxTree.DangerousGetHandle(),
                        .. procs.Select(h => (int)h.DangerousGetHandle()),
                    ];
                    exited = await zygotes.StartRunnerAsync(flavour, new ZygoteRequest
                    {
                        Mode = "runner",
                        Source = false,
                        File = "",
                        Uid = uid,
                        WorkBytes = 0, // /work is the session's own tmpfs, attached
                        TmpBytes = runnerLimits.TmpBytes,
                        Inodes = inodes,
                        Rlimits = Zygotes.RlimitsFor(runnerLimits),
                        Argv = ["warm_runner"],
                        Args = [],
                    }, fds).ConfigureAwait(false) ?? throw new IOException("no zygote could start the runner");
                }
                finally
                {
                    foreach (var h in procs) h.Dispose();
                    pipe.DisposeLocalCopyOfClientHandle();
                }
                // The runner's own output (tracebacks of the runner itself), read so it never blocks, kept for the reason.
                output = StreamTail.Start(pipe);
            }
            var runnerCgroup = cg;
            var runnerOutput = pipe;
            void Stop()
            {
                runnerCgroup.KillAll();
                runnerOutput.Dispose();
            }
            var runner = new WarmRunner(Stop, cg, control, 0, cgroups, root, uid, work, fromZygote: true);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ControlTimeout);
            using (var ready = await runner.ReceiveAsync(timeout.Token).ConfigureAwait(false))
                if (ready is null || !ready.RootElement.TryGetProperty("ready", out _))
                    throw new IOException("zygote-started warm runner did not report ready: " + await WhyAsync(exited, output).ConfigureAwait(false));
            // The runner is pid 1 of its own namespace and the only process of its cgroup.
            var pid = cg.Pids().FirstOrDefault(p => UidOf(p) == uid);
            if (pid == 0) throw new IOException("warm runner process not found in its cgroup");
            return new WarmRunner(Stop, cg, control, pid, cgroups, root, uid, work, fromZygote: true);
        }
        catch
        {
            cg?.Dispose(); // kills the runner, if it started
            control?.Dispose();
            pipe?.Dispose();
            try { Directory.Delete(root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    private static async Task<string> WhyAsync(Task<ExitStatus>? exited, StreamTail? output)
    {
        if (exited is not null) await Task.WhenAny(exited, Task.Delay(500)).ConfigureAwait(false);
        var status = exited is { IsCompleted: true } ? exited.Result : default;
        var why = status.SetupFailure ?? (status.Code is { } c ? $"exit {c}" : status.Signal is { } s ? $"signal {s}" : "no exit yet");
        return output?.Text is { Length: > 0 } text ? why + ": " + text : why;
    }
}
