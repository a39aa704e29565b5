using System.Runtime.InteropServices;

namespace Crucible.Sandbox;

/// <summary>
/// A session's private writable directory on the host, bound at /work. As root it is its own tmpfs owned by the
/// session uid, capped in bytes and in inodes (empty files cost kernel memory, not bytes, and would otherwise pin it
/// for the session's life). A second capped tmpfs next to it holds each run's /tmp (<see cref="NewRunTmp"/>).
/// Host-side reads and writes refuse symlinks, since the program may plant them.
/// </summary>
internal sealed partial class SessionWorkDir : IDisposable
{
    public string Path { get; }
    public bool IsTmpfs { get; }
    private readonly uint _uid;
    private readonly string? _tmpRoot;
    private int _tmpCounter;

    public SessionWorkDir(string path, uint uid, long sizeBytes, long inodes = 16_384, long tmpBytes = 64L << 20)
    {
        Path = path;
        _uid = uid;
        Directory.CreateDirectory(path);
        if (Libc.IsRoot)
        {
            IsTmpfs = Mount(path, sizeBytes, inodes, uid, "0700");
            if (!IsTmpfs) Libc.Chown(path, uid, uid);
            var tmp = path + ".tmp";
            Directory.CreateDirectory(tmp);
            if (Mount(tmp, tmpBytes, inodes, 0, "0711")) _tmpRoot = tmp;
            else Directory.Delete(tmp);
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static bool Mount(string path, long bytes, long inodes, uint owner, string mode) =>
        Libc.mount("tmpfs", path, "tmpfs", Libc.MS_NOSUID | Libc.MS_NODEV, $"size={bytes},nr_inodes={inodes},mode={mode},uid={owner},gid={owner}") == 0;

    /// <summary>
    /// A fresh directory for one run's /tmp (or a warm runner's), inside the session's capped tmpfs; null when there
    /// is none (not root), and the run then gets bubblewrap's own tmpfs.
    /// </summary>
    public string? NewRunTmp()
    {
        if (_tmpRoot is null) return null;
        var dir = System.IO.Path.Combine(_tmpRoot, "r" + Interlocked.Increment(ref _tmpCounter).ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            Directory.CreateDirectory(dir);
            Libc.Chown(dir, _uid, _uid);
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return dir;
        }
        catch (IOException)
        {
            // The program filled the session's /tmp (a warm runner's lives on): this run gets bubblewrap's own tmpfs,
            // freed with the run and charged to its memory limit, rather than an error that is not the program's.
            RemoveRunTmp(dir);
            return null;
        }
    }

    /// <summary>Removes a run's /tmp once the run is over (everything of the run is dead by then).</summary>
    public static void RemoveRunTmp(string? dir)
    {
        if (dir is null) return;
        try { Directory.Delete(dir, true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Writes a file for the program, refusing paths that leave the dir or pass through a symlink.</summary>
    public void WriteFile(string relativePath, ReadOnlySpan<byte> content)
    {
        var full = Resolve(relativePath, forWrite: true);
        var dir = System.IO.Path.GetDirectoryName(full)!;
        CreateDirectories(dir);
        if (File.Exists(full) || Directory.Exists(full)) DeleteEntry(full);
        using (var fs = new FileStream(full, FileMode.CreateNew, FileAccess.Write))
            fs.Write(content);
        if (Libc.IsRoot) Libc.Chown(full, _uid, _uid);
    }

    /// <summary>Reads a regular file the program left (never a FIFO, socket, device or symlink), or null.</summary>
    public byte[]? ReadFile(string relativePath, long maxBytes) => Fetch(relativePath, maxBytes, maxBytes, CancellationToken.None).Content;

    /// <summary>Deletes a file or directory tree the program may have left; symlink components are refused, a symlink itself is removed.</summary>
    public void Delete(string relativePath)
    {
        var full = Resolve(relativePath, forWrite: true);
        if (File.Exists(full) || Directory.Exists(full)) DeleteEntry(full);
    }

    private string Resolve(string relativePath, bool forWrite)
    {
        if (string.IsNullOrWhiteSpace(relativePath) || relativePath.Contains('\0'))
            throw new SandboxException($"Invalid file name '{relativePath}'.");
        var rel = relativePath.StartsWith("/work/", StringComparison.Ordinal) ? relativePath[6..] : relativePath;
        if (System.IO.Path.IsPathRooted(rel))
            throw new SandboxException($"File '{relativePath}' must be relative to the work dir.");
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, rel));
        if (!full.StartsWith(Path + "/", StringComparison.Ordinal))
            throw new SandboxException($"File '{relativePath}' leaves the work dir.");
        // No component may be a symlink: the program could point one at a host file.
        var cur = Path;
        foreach (var part in full[(Path.Length + 1)..].Split('/'))
        {
            cur = cur + "/" + part;
            var fi = new FileInfo(cur);
            if (fi.LinkTarget is not null)
            {
                if (!forWrite) throw new SandboxException($"'{relativePath}' is or passes through a symlink; only regular files are fetched");
                File.Delete(cur);
            }
        }
        return full;
    }

    private void CreateDirectories(string dir)
    {
        if (dir == Path || Directory.Exists(dir)) return;
        CreateDirectories(System.IO.Path.GetDirectoryName(dir)!);
        Directory.CreateDirectory(dir);
        if (Libc.IsRoot) Libc.Chown(dir, _uid, _uid);
    }

    private static void DeleteEntry(string full)
    {
        if (Directory.Exists(full) && new DirectoryInfo(full).LinkTarget is null) Directory.Delete(full, true);
        else File.Delete(full);
    }

    /// <summary>Removes everything the program wrote, keeping the (mounted) directory.</summary>
    public void Clear()
    {
        foreach (var e in new DirectoryInfo(Path).EnumerateFileSystemInfos())
        {
            if (e is DirectoryInfo d && d.LinkTarget is null) d.Delete(true);
            else e.Delete();
        }
    }

    public void Dispose()
    {
        if (_tmpRoot is not null) StaleState.Remove(_tmpRoot);
        try
        {
            if (IsTmpfs && Libc.umount2(Path, Libc.MNT_DETACH) != 0)
                throw new IOException($"umount {Path} failed: errno {Marshal.GetLastPInvokeError()}");
            Directory.Delete(Path, true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
