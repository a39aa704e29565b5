namespace Crucible.Sandbox;

public sealed partial class CompileCache
{
    private readonly record struct EntryUsage(string Directory, long Bytes, DateTime LastUsed);

    /// <summary>Every complete entry with its size and last use (the marker's mtime, touched on each hit).</summary>
    private List<EntryUsage> Scan()
    {
        var list = new List<EntryUsage>();
        try
        {
            foreach (var dir in Directory.EnumerateDirectories(_root))
            {
                var name = Path.GetFileName(dir);
                if (name.StartsWith("tmp-", StringComparison.Ordinal) || name.StartsWith("trash-", StringComparison.Ordinal)) continue;
                var marker = Path.Combine(dir, MarkerName);
                try { list.Add(new EntryUsage(dir, DirectoryBytes(dir), File.GetLastWriteTimeUtc(marker))); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return list;
    }

    private static long DirectoryBytes(string dir)
    {
        long total = 0;
        foreach (var f in new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories)) total += f.Length;
        return total;
    }

    /// <summary>Starts one eviction pass in the background when the cache is over its budget.</summary>
    private void EvictIfOverBudget()
    {
        if (SizeBytes <= BudgetBytes || Interlocked.Exchange(ref _evicting, 1) != 0) return;
        _ = Task.Run(() =>
        {
            try { EvictLeastRecentlyUsed(); }
            finally { Volatile.Write(ref _evicting, 0); }
        });
    }

    /// <summary>
    /// Removes least recently used entries until the cache is at 90% of its budget. An entry some session holds (a
    /// shared lock on its marker, in this process or another) is skipped; a removed entry is first renamed away, so a
    /// concurrent lookup either finds it whole or not at all.
    /// </summary>
    internal void EvictLeastRecentlyUsed()
    {
        var entries = Scan();
        var total = entries.Sum(e => e.Bytes);
        var target = BudgetBytes / 10 * 9;
        foreach (var e in entries.OrderBy(e => e.LastUsed))
        {
            if (total <= target) break;
            FileStream? exclusive = null;
            try
            {
                exclusive = new FileStream(Path.Combine(e.Directory, MarkerName), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                if (!Libc.TryLock(exclusive.SafeFileHandle, exclusive: true)) continue;
                var trash = Path.Combine(_root, $"trash-{ProcessStamp.Current}-{Guid.NewGuid():N}");
                Directory.Move(e.Directory, trash);
                exclusive.Dispose();
                exclusive = null;
                TryDelete(trash);
                total -= e.Bytes;
                Interlocked.Increment(ref _evictions);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
            finally
            {
                exclusive?.Dispose();
            }
        }
        Interlocked.Exchange(ref _sizeBytes, total);
    }
}
