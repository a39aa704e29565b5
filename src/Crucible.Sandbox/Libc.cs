using System.Runtime.InteropServices;

namespace Crucible.Sandbox;

/// <summary>The few libc calls .NET does not expose: ownership, signals, tmpfs mounts.</summary>
internal static partial class Libc
{
    public const int SIGKILL = 9;
    public const ulong MS_NOSUID = 2, MS_NODEV = 4;
    public const int MNT_DETACH = 2;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int lchown(string path, uint owner, uint group);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int sig);

    [LibraryImport("libc")]
    public static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string source, string target, string fstype, ulong flags, string data);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);

    public static bool IsRoot => geteuid() == 0;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fcntl(int fd, int cmd, int arg);

    /// <summary>Clears FD_CLOEXEC, as a library that opens files without O_CLOEXEC leaves them (used by tests).</summary>
    public static int MakeInheritable(int fd) => fcntl(fd, 2 /* F_SETFD */, 0);

    private const int SOL_SOCKET = 1, SCM_RIGHTS = 1, MSG_NOSIGNAL = 0x4000;

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public nint Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public nint Name;
        public uint NameLength;
        public nint Iov;
        public nuint IovLength;
        public nint Control;
        public nuint ControlLength;
        public int Flags;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint sendmsg(int socket, MsgHdr* message, int flags);

    /// <summary>Sends one message with file descriptors attached (SCM_RIGHTS) on a unix socket.</summary>
    public static unsafe void SendWithFds(int socket, ReadOnlySpan<byte> data, ReadOnlySpan<int> fds)
    {
        var dataLength = sizeof(int) * fds.Length;
        var cmsgLength = 16 + dataLength;               // CMSG_LEN: cmsghdr (len, level, type) is 16 bytes on 64-bit
        var controlLength = 16 + ((dataLength + 7) & ~7); // CMSG_SPACE
        var control = stackalloc byte[controlLength];
        new Span<byte>(control, controlLength).Clear();
        *(nuint*)control = (nuint)cmsgLength;
        *(int*)(control + 8) = SOL_SOCKET;
        *(int*)(control + 12) = SCM_RIGHTS;
        for (var i = 0; i < fds.Length; i++) *(int*)(control + 16 + 4 * i) = fds[i];
        fixed (byte* p = data)
        {
            var iov = new IoVec { Base = (nint)p, Length = (nuint)data.Length };
            var msg = new MsgHdr { Iov = (nint)(&iov), IovLength = 1, Control = (nint)control, ControlLength = (nuint)controlLength };
            if (sendmsg(socket, &msg, MSG_NOSIGNAL) < 0)
                throw new IOException($"sendmsg failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    private static bool Arm => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;

    /// <summary>
    /// Opens a file for reading without following a final symlink and without blocking (a FIFO with no writer, a
    /// device): the caller then checks what it opened. Returns the fd, or -errno.
    /// </summary>
    public static int OpenNoFollowNonBlocking(string path)
    {
        const int O_NONBLOCK = 0x800, O_NOCTTY = 0x100, O_CLOEXEC = 0x80000;
        var noFollow = Arm ? 0x8000 : 0x20000;
        var fd = open(path, noFollow | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
        return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    public static void Close(int fd) => close(fd);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial nint pread(int fd, byte* buffer, nint count, long offset);

    [LibraryImport("libc", SetLastError = true)]
    internal static unsafe partial nint pwrite(int fd, byte* buffer, nint count, long offset);

    /// <summary>An O_PATH descriptor of a directory (to name things in it by a short path); the fd, or -errno.</summary>
    public static int OpenDirectoryPath(string path)
    {
        const int O_PATH = 0x200000, O_CLOEXEC = 0x80000;
        var directory = Arm ? 0x4000 : 0x10000;
        var fd = open(path, O_PATH | directory | O_CLOEXEC, 0);
        return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
    }

    /// <summary>File type bits (S_IFMT) and size of an open descriptor, via statx (same layout on every architecture).</summary>
    public static unsafe (int Type, long Size)? TypeAndSize(int fd)
    {
        const int AT_EMPTY_PATH = 0x1000;
        const uint STATX_TYPE = 1, STATX_SIZE = 0x200;
        var buffer = stackalloc byte[256];
        if (statx(fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_SIZE, buffer) != 0) return null;
        var mode = *(ushort*)(buffer + 28);
        return (mode & 0xF000, *(long*)(buffer + 40));
    }

    public const int S_IFREG = 0x8000, S_IFDIR = 0x4000, S_IFIFO = 0x1000, S_IFSOCK = 0xC000, S_IFLNK = 0xA000, S_IFCHR = 0x2000, S_IFBLK = 0x6000;
    public const int ENOENT = 2, ENXIO = 6, ELOOP = 40, ENOTDIR = 20;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int flock(int fd, int operation);

    /// <summary>Non-blocking advisory lock (shared or exclusive) on an open file; false when another holder conflicts.</summary>
    public static bool TryLock(Microsoft.Win32.SafeHandles.SafeFileHandle file, bool exclusive)
    {
        const int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4;
        return flock((int)file.DangerousGetHandle(), (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0;
    }

    public static void Chown(string path, uint uid, uint gid)
    {
        if (lchown(path, uid, gid) != 0)
            throw new IOException($"chown {path} to {uid}:{gid} failed: errno {Marshal.GetLastPInvokeError()}");
    }
}
