using System.Runtime.InteropServices;
using System.Text;

namespace Crucible.Sandbox;

/// <summary>
/// Reads and writes of cgroup control files with plain open/read/write/close. A run reads a dozen of them (CPU,
/// memory peak, OOM events, processes) and .NET's file APIs add an advisory lock, a stat and buffering to each,
/// several syscalls that cgroupfs has no use for, on the path every single run takes.
/// </summary>
internal static class CgroupFs
{
    private const int O_RDONLY = 0, O_WRONLY = 1, O_CLOEXEC = 0x80000;

    /// <summary>The whole file as text; IOException when it cannot be opened or read.</summary>
    public static unsafe string ReadText(string path)
    {
        var fd = Libc.open(path, O_RDONLY | O_CLOEXEC, 0);
        if (fd < 0) throw Error("open", path);
        try
        {
            var buffer = new byte[4096];
            var length = 0;
            while (true)
            {
                if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                nint n;
                fixed (byte* p = &buffer[length]) n = Libc.read(fd, p, buffer.Length - length);
                if (n < 0) throw Error("read", path);
                if (n == 0) break;
                length += (int)n;
            }
            return Encoding.ASCII.GetString(buffer, 0, length);
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    /// <summary>The file's lines (cgroup.procs, memory.events …).</summary>
    public static string[] ReadLines(string path) => ReadText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>One write of the whole text (a control file takes its value in one write); IOException on failure.</summary>
    public static unsafe void WriteText(string path, string text)
    {
        var fd = Libc.open(path, O_WRONLY | O_CLOEXEC, 0);
        if (fd < 0) throw Error("open", path);
        try
        {
            var bytes = Encoding.ASCII.GetBytes(text);
            fixed (byte* p = bytes)
                if (Libc.write(fd, p, bytes.Length) != bytes.Length) throw Error("write", path);
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    private static IOException Error(string op, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        var message = $"{op} {path}: {Marshal.GetPInvokeErrorMessage(errno)}";
        return errno == 2 ? new FileNotFoundException(message, path) : new IOException(message, errno);
    }
}
