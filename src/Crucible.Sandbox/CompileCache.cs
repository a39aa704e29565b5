using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Crucible.Sandbox;

/// <summary>
/// Compiled artifacts keyed by content hash of (language, toolchain version, flags, source): the same source is
/// never compiled twice, across sessions and across processes sharing a state root. Compile errors are cached too;
/// compiler time-outs and sandbox failures are not (they may not repeat). The cache holds at most
/// <see cref="BudgetBytes"/>: past it, the least recently used entries that no session (of any process) holds are
/// evicted. A session holds its entry with a shared lock on the entry's marker file; eviction needs the exclusive one.
/// </summary>
public sealed partial class CompileCache
{
    private const string MarkerName = ".crucible-compile.json";
    private readonly string _root;
    private readonly ConcurrentDictionary<string, Lazy<Task<CompileEntry>>> _inFlight = new();
    private long _compilations, _hits, _sizeBytes, _evictions;
    private int _evicting;

    internal CompileCache(string root, long budgetBytes = long.MaxValue)
    {
        _root = root;
        BudgetBytes = budgetBytes;
        Directory.CreateDirectory(root);
        // The size of what earlier processes left, measured off the request path.
        _ = Task.Run(() => { Interlocked.Add(ref _sizeBytes, Scan().Sum(e => e.Bytes)); EvictIfOverBudget(); });
    }

    /// <summary>Total bytes the cache may hold (SandboxOptions.CompileCacheBudgetBytes).</summary>
    public long BudgetBytes { get; }

    /// <summary>Bytes the cache holds now, as far as this process knows (re-measured at every eviction pass).</summary>
    public long SizeBytes => Interlocked.Read(ref _sizeBytes);

    /// <summary>Entries evicted by this process to stay within the budget.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>How many times a compiler actually ran (cache misses of compiled languages).</summary>
    public long Compilations => Interlocked.Read(ref _compilations);

    /// <summary>How many compile requests were answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    public static string Key(Language language, SourceProgram program)
    {
        var sb = new StringBuilder();
        sb.Append(language.Id).Append('\0').Append(language.Version).Append('\0');
        foreach (var f in program.CompileFlags) sb.Append(f).Append('\0');
        sb.Append('\0').Append(program.Source);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    internal async Task<CompileEntry> GetOrCreateAsync(Language language, SourceProgram program, Func<string, string, Task<CompileResult>> build)
    {
        var key = Key(language, program);
        var dir = Path.Combine(_root, key);
        if (TryLoad(dir, touch: true) is { } cached)
        {
            Interlocked.Increment(ref _hits);
            return cached with { Result = cached.Result with { FromCache = true } };
        }
        var lazy = _inFlight.GetOrAdd(key, _ => new Lazy<Task<CompileEntry>>(() => BuildAsync(language, program, dir, build)));
        var waited = lazy.IsValueCreated;
        try
        {
            var entry = await lazy.Value.ConfigureAwait(false);
            // Every session holds its own lease; the builder's entry carries none of its own.
            var leased = entry.Directory is null ? entry : TryLoad(entry.Directory, touch: false) ?? entry with { Directory = null, Result = entry.Result with { Verdict = Verdict.SandboxError, Output = "the compiled artifact was evicted before it could be used" } };
            if (waited) Interlocked.Increment(ref _hits);
            return waited ? leased with { Result = leased.Result with { FromCache = true } } : leased;
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<CompileEntry>>>(key, lazy));
        }
    }

    private async Task<CompileEntry> BuildAsync(Language language, SourceProgram program, string dir, Func<string, string, Task<CompileResult>> build)
    {
        if (TryLoad(dir, touch: false) is { } raced) { raced.Lease?.Dispose(); return raced with { Lease = null, Result = raced.Result with { FromCache = true } }; }
        var tmp = Path.Combine(_root, $"tmp-{ProcessStamp.Current}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(tmp);
        var fileName = language.Definition.SourceFileName(program.Source);
        await File.WriteAllTextAsync(Path.Combine(tmp, fileName), program.Source).ConfigureAwait(false);
        if (language.IsCompiled) Interlocked.Increment(ref _compilations);
        CompileResult result;
        try
        {
            result = language.IsCompiled ? await build(tmp, fileName).ConfigureAwait(false) : new CompileResult { Verdict = Verdict.Ok };
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
        if (result.Verdict is not (Verdict.Ok or Verdict.CompileError))
        {
            TryDelete(tmp);
            return new CompileEntry(result, null, fileName);
        }
        SealForReading(tmp);
        var bytes = DirectoryBytes(tmp);
        await File.WriteAllTextAsync(Path.Combine(tmp, MarkerName),
            JsonSerializer.Serialize(new Marker(result.Verdict.ToString(), result.Output, fileName))).ConfigureAwait(false);
        try
        {
            Directory.Move(tmp, dir);
        }
        catch (IOException) when (Directory.Exists(dir))
        {
            TryDelete(tmp); // another process finished the same key first
            var other = TryLoad(dir, touch: false);
            other?.Lease?.Dispose();
            return other is null ? new CompileEntry(result, null, fileName) : other with { Lease = null };
        }
        Interlocked.Add(ref _sizeBytes, bytes);
        EvictIfOverBudget();
        return new CompileEntry(result, result.Succeeded ? dir : null, fileName);
    }

    /// <summary>
    /// Loads an entry and takes a shared lease on it (released when the session ends), or null when there is none
    /// or it is being evicted right now. A hit also marks the entry used, for LRU eviction.
    /// </summary>
    private static CompileEntry? TryLoad(string dir, bool touch)
    {
        var marker = Path.Combine(dir, MarkerName);
        FileStream? lease = null;
        try
        {
            lease = new FileStream(marker, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (!Libc.TryLock(lease.SafeFileHandle, exclusive: false)) { lease.Dispose(); return null; }
            var m = JsonSerializer.Deserialize<Marker>(lease)!;
            var verdict = Enum.Parse<Verdict>(m.Verdict);
            if (touch) File.SetLastWriteTimeUtc(marker, DateTime.UtcNow);
            if (verdict != Verdict.Ok) { lease.Dispose(); lease = null; }
            return new CompileEntry(new CompileResult { Verdict = verdict, Output = m.Output }, verdict == Verdict.Ok ? dir : null, m.FileName, lease);
        }
        catch (Exception e) when (e is IOException or JsonException or ArgumentException or UnauthorizedAccessException)
        {
            lease?.Dispose();
            return null;
        }
    }

    /// <summary>Artifacts become root-owned and read-only for everyone, so no later session can alter them.</summary>
    private static void SealForReading(string dir)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories).Append(dir))
        {
            var fi = new FileInfo(path);
            if (fi.LinkTarget is not null) { File.Delete(path); continue; }
            if (Libc.IsRoot) Libc.Chown(path, 0, 0);
            var isDir = Directory.Exists(path);
            var exec = isDir || (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;
            var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            if (exec) mode |= UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            File.SetUnixFileMode(path, mode);
        }
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private sealed record Marker(string Verdict, string Output, string FileName);
}

/// <summary>
/// A compile outcome and, when it succeeded, the host directory holding the artifact and the lease that keeps it from
/// eviction while a session uses it (dispose with the session).
/// </summary>
internal sealed record CompileEntry(CompileResult Result, string? Directory, string SourceFileName, IDisposable? Lease = null);
