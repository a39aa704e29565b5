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
    public static string ReadText(string path)
    {
        var fd = Open(path, write: false);
        try { return ReadText(fd, path); }
        finally { Libc.Close(fd); }
    }

    /// <summary>A control file's descriptor; IOException when it cannot be opened.</summary>
    public static int Open(string path, bool write)
    {
        var fd = Libc.open(path, (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC, 0);
        return fd >= 0 ? fd : throw Error("open", path);
    }

    /// <summary>
    /// The whole file as text, read from offset 0 of an open descriptor: cgroupfs renders the file afresh for a read
    /// from the start, so one descriptor serves any number of reads.
    /// </summary>
    /// <remarks>
    /// cgroupfs renders a file completely into a read that has room for it, so a read shorter than asked is the whole
    /// file: no second read to see end-of-file. Most control files are a number or a few lines, read into the stack.
    /// </remarks>
    public static unsafe string ReadText(int fd, string path)
    {
        Span<byte> small = stackalloc byte[512];
        nint n;
        fixed (byte* p = small) n = Libc.pread(fd, p, small.Length, 0);
        if (n < 0) throw Error("read", path);
        if (n < small.Length) return Encoding.ASCII.GetString(small[..(int)n]);
        var buffer = new byte[4096];
        small.CopyTo(buffer);
        var length = small.Length;
        while (true)
        {
            if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            var asked = buffer.Length - length;
            fixed (byte* p = &buffer[length]) n = Libc.pread(fd, p, asked, length);
            if (n < 0) throw Error("read", path);
            length += (int)n;
            if (n < asked) break;
        }
        return Encoding.ASCII.GetString(buffer, 0, length);
    }

    /// <summary>The file's lines (cgroup.procs, memory.events …).</summary>
    public static string[] ReadLines(string path) => Lines(ReadText(path));

    /// <summary>A control file's text as its non-empty lines.</summary>
    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>One write of the whole text (a control file takes its value in one write); IOException on failure.</summary>
    public static void WriteText(string path, string text)
    {
        var fd = Open(path, write: true);
        try { WriteText(fd, path, text); }
        finally { Libc.Close(fd); }
    }

    /// <summary>One write of the whole text to an open control file.</summary>
    public static unsafe void WriteText(int fd, string path, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        fixed (byte* p = bytes)
            if (Libc.pwrite(fd, p, bytes.Length, 0) != bytes.Length) throw Error("write", path);
    }

    private static IOException Error(string op, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        var message = $"{op} {path}: {Marshal.GetPInvokeErrorMessage(errno)}";
        return errno == 2 ? new FileNotFoundException(message, path) : new IOException(message, errno);
    }
}
