using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Crucible.Sandbox.Zygote;

/// <summary>The libc calls only zygote runs need.</summary>
internal static partial class ZygoteNative
{
    private const uint MFD_CLOEXEC = 1;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int memfd_create(string name, uint flags);

    private const int AF_UNIX = 1, SOCK_SEQPACKET = 5, SOCK_CLOEXEC = 0x80000;
    private const long SYS_open_tree = 428; // x86-64, as are the zygotes' native parts
    private const uint OPEN_TREE_CLONE = 1, OPEN_TREE_CLOEXEC = 0x80000;
    private const int AT_FDCWD = -100;

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int socketpair(int domain, int type, int protocol, int* fds);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long syscall(long number, int dirfd, string path, uint flags);

    /// <summary>
    /// A connected pair of SOCK_SEQPACKET sockets: the host's end, and the end a zygote-started warm runner gets by
    /// descriptor. No socket has a name, so nothing else can ever connect to the runner's control channel.
    /// </summary>
    public static unsafe (System.Net.Sockets.Socket Host, SafeFileHandle Runner) SocketPair()
    {
        var fds = stackalloc int[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0)
            throw new IOException($"socketpair failed: errno {Marshal.GetLastPInvokeError()}");
        var runner = new SafeFileHandle(fds[1], ownsHandle: true);
        try
        {
            return (new System.Net.Sockets.Socket(new System.Net.Sockets.SafeSocketHandle(fds[0], ownsHandle: true)), runner);
        }
        catch
        {
            runner.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A detached copy of the mount at (or bind of) a host directory (open_tree with OPEN_TREE_CLONE), which a zygote
    /// child attaches at its /work or /box with move_mount: the child gets exactly that directory, and the zygote
    /// never has any other session's directory in its view.
    /// </summary>
    public static SafeFileHandle CloneTree(string path)
    {
        var fd = syscall(SYS_open_tree, AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
        if (fd < 0) throw new IOException($"open_tree {path} failed: errno {Marshal.GetLastPInvokeError()}");
        return new SafeFileHandle((nint)fd, ownsHandle: true);
    }

    /// <summary>
    /// The submission's code in an anonymous memory file, handed to the run by descriptor: it never touches a file
    /// system and never passes through the zygote's memory.
    /// </summary>
    public static SafeFileHandle CodeFile(ReadOnlySpan<byte> code)
    {
        var fd = memfd_create("code", MFD_CLOEXEC);
        if (fd < 0) throw new IOException($"memfd_create failed: errno {Marshal.GetLastPInvokeError()}");
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            RandomAccess.Write(handle, code, 0);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        return handle;
    }
}
