namespace Crucible.Sandbox;

/// <summary>
/// Removes what processes that died without cleaning up left under a shared state root: status files, session work
/// dirs (unmounted first), runner dirs and half-written cache entries. Only names stamped by a process that is gone
/// (<see cref="ProcessStamp"/>) are touched, so a live process's files are never removed by another.
/// </summary>
internal static class StaleState
{
    public static void Clean(string stateRoot)
    {
        foreach (var sub in new[] { "runs", "sessions", "runners" })
        {
            var dir = Path.Combine(stateRoot, sub);
            if (!Directory.Exists(dir)) continue;
            foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
                if (ProcessStamp.IsStaleName(Path.GetFileName(entry))) Remove(entry);
        }
        foreach (var cache in new[] { Path.Combine(stateRoot, "cache"), Path.Combine(stateRoot, "compilers") }.Where(Directory.Exists))
            foreach (var entry in Directory.EnumerateDirectories(cache))
            {
                var name = Path.GetFileName(entry);
                var stamped = name.StartsWith("tmp-", StringComparison.Ordinal) ? name[4..] : name.StartsWith("trash-", StringComparison.Ordinal) ? name[6..] : null;
                if (stamped is not null && ProcessStamp.IsStaleName(stamped)) Remove(entry);
            }
    }

    /// <summary>Removes a file or directory tree; a work dir is a tmpfs mount, detached before it is deleted.</summary>
    public static void Remove(string path)
    {
        try
        {
            if (File.Exists(path)) { File.Delete(path); return; }
            if (Libc.IsRoot) Libc.umount2(path, Libc.MNT_DETACH);
            Directory.Delete(path, true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
