using System.Runtime.InteropServices;

namespace Crucible.Cli.Tests.ScaleOut;

/// <summary>The two system calls the replica test needs that .NET does not wrap: send a signal, read the effective uid.</summary>
internal static partial class Libc
{
    public const int SIGTERM = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint geteuid();
}
