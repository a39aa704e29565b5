using System.Runtime.InteropServices;

namespace Crucible.Sandbox;

/// <summary>
/// A session's private writable directory on the host, bound at /work. As root it is its own size-capped tmpfs
/// owned by the session uid. Host-side reads and writes refuse symlinks, since the program may plant them.
/// </summary>
internal sealed class SessionWorkDir : IDisposable
{
    public string Path { get; }
    public bool IsTmpfs { get; }
    private readonly uint _uid;

    public SessionWorkDir(string path, uint uid, long sizeBytes)
    {
        Path = path;
        _uid = uid;
        Directory.CreateDirectory(path);
        if (Libc.IsRoot)
        {
            var data = $"size={sizeBytes},mode=0700,uid={uid},gid={uid}";
            IsTmpfs = Libc.mount("tmpfs", path, "tmpfs", Libc.MS_NOSUID | Libc.MS_NODEV, data) == 0;
            if (!IsTmpfs) Libc.Chown(path, uid, uid);
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
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

    /// <summary>Reads a file the program left, or null when absent, a directory, or reached through a symlink.</summary>
    public byte[]? ReadFile(string relativePath, long maxBytes)
    {
        string full;
        try { full = Resolve(relativePath, forWrite: false); }
        catch (SandboxException) { return null; }
        var info = new FileInfo(full);
        if (!info.Exists || info.LinkTarget is not null || info.Length > maxBytes) return null;
        return File.ReadAllBytes(full);
    }

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
                if (!forWrite) throw new SandboxException($"File '{relativePath}' is reached through a symlink.");
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
