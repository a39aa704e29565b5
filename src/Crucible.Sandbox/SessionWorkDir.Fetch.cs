using Microsoft.Win32.SafeHandles;

namespace Crucible.Sandbox;

internal sealed partial class SessionWorkDir
{
    /// <summary>
    /// Reads a file the program left, for fetch_files. Only regular files are read: the final name is opened with
    /// O_NOFOLLOW|O_NONBLOCK (a FIFO with no writer cannot hang the host, a socket or a device is refused) and its
    /// type checked on the open descriptor. At most <paramref name="budget"/> bytes are read, so hard links to one
    /// large file cannot multiply it past the request's total. Absent files give (null, null).
    /// </summary>
    public (byte[]? Content, string? Refused) Fetch(string relativePath, long maxFileBytes, long budget, CancellationToken cancellationToken)
    {
        string full;
        try { full = Resolve(relativePath, forWrite: false); }
        catch (SandboxException e) { return (null, e.Message); }
        var fd = Libc.OpenNoFollowNonBlocking(full);
        if (fd < 0)
        {
            return -fd switch
            {
                Libc.ENOENT or Libc.ENOTDIR => (null, null),
                Libc.ELOOP => (null, $"'{relativePath}' is a symlink; only regular files are fetched"),
                Libc.ENXIO => (null, $"'{relativePath}' is a socket or a device; only regular files are fetched"),
                var errno => (null, $"'{relativePath}' could not be opened (errno {errno})"),
            };
        }
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Libc.TypeAndSize(fd) is not { } stat) return (null, $"'{relativePath}' could not be examined");
        if (stat.Type != Libc.S_IFREG)
            return (null, $"'{relativePath}' is {Describe(stat.Type)}; only regular files are fetched");
        if (stat.Size > maxFileBytes) return (null, $"'{relativePath}' is {stat.Size} bytes, over the {maxFileBytes}-byte file limit");
        if (stat.Size > budget) return (null, $"'{relativePath}' ({stat.Size} bytes) would exceed the request's total of fetched bytes; {budget} bytes were left");
        var content = new byte[stat.Size];
        var read = 0;
        while (read < content.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = RandomAccess.Read(handle, content.AsSpan(read, Math.Min(1 << 20, content.Length - read)), read);
            if (n == 0) break; // truncated meanwhile (a concurrent run of the session): return what is there
            read += n;
        }
        return (read == content.Length ? content : content[..read], null);
    }

    private static string Describe(int type) => type switch
    {
        Libc.S_IFDIR => "a directory",
        Libc.S_IFIFO => "a FIFO",
        Libc.S_IFSOCK => "a socket",
        Libc.S_IFLNK => "a symlink",
        Libc.S_IFCHR or Libc.S_IFBLK => "a device",
        _ => "not a regular file",
    };
}
