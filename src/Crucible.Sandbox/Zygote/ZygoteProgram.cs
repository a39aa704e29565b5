using System.IO.Pipes;

namespace Crucible.Sandbox.Zygote;

/// <summary>A run forked by a zygote, as the supervisor sees it: the host's own pipes, the slot cgroup, the reported status.</summary>
internal sealed class ZygoteProgram(AnonymousPipeServerStream stdin, AnonymousPipeServerStream stdout, AnonymousPipeServerStream stderr,
    Task<ExitStatus> exited, RunCgroup cgroup) : RunningProgram
{
    public override Stream Stdin => stdin;
    public override Stream Stdout => stdout;
    public override Stream Stderr => stderr;
    public override Task<ExitStatus> Exited => exited;

    // Everything the program started is in the slot: once the program is killed, the zygote ends its init and the namespace.
    public override void Kill() => cgroup.KillAll();

    public override void Dispose()
    {
        stdin.Dispose();
        stdout.Dispose();
        stderr.Dispose();
    }
}
