using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Crucible.Sandbox;

/// <summary>
/// Compiled artifacts keyed by content hash of (language, toolchain version, flags, source): the same source is
/// never compiled twice, across sessions and across processes sharing a state root. Compile errors are cached too;
/// compiler time-outs and sandbox failures are not (they may not repeat).
/// </summary>
public sealed class CompileCache
{
    private readonly string _root;
    private readonly ConcurrentDictionary<string, Lazy<Task<CompileEntry>>> _inFlight = new();
    private long _compilations, _hits;

    internal CompileCache(string root)
    {
        _root = root;
        Directory.CreateDirectory(root);
    }

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
        if (TryLoad(dir) is { } cached)
        {
            Interlocked.Increment(ref _hits);
            return cached with { Result = cached.Result with { FromCache = true } };
        }
        var lazy = _inFlight.GetOrAdd(key, _ => new Lazy<Task<CompileEntry>>(() => BuildAsync(language, program, dir, build)));
        var waited = lazy.IsValueCreated;
        try
        {
            var entry = await lazy.Value.ConfigureAwait(false);
            if (waited) Interlocked.Increment(ref _hits);
            return waited ? entry with { Result = entry.Result with { FromCache = true } } : entry;
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<CompileEntry>>>(key, lazy));
        }
    }

    private async Task<CompileEntry> BuildAsync(Language language, SourceProgram program, string dir, Func<string, string, Task<CompileResult>> build)
    {
        if (TryLoad(dir) is { } raced) return raced with { Result = raced.Result with { FromCache = true } };
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
        await File.WriteAllTextAsync(Path.Combine(tmp, ".crucible-compile.json"),
            JsonSerializer.Serialize(new Marker(result.Verdict.ToString(), result.Output, fileName))).ConfigureAwait(false);
        try
        {
            Directory.Move(tmp, dir);
        }
        catch (IOException) when (Directory.Exists(dir))
        {
            TryDelete(tmp); // another process finished the same key first
            return TryLoad(dir) ?? new CompileEntry(result, null, fileName);
        }
        return new CompileEntry(result, result.Succeeded ? dir : null, fileName);
    }

    private static CompileEntry? TryLoad(string dir)
    {
        var marker = Path.Combine(dir, ".crucible-compile.json");
        if (!File.Exists(marker)) return null;
        try
        {
            var m = JsonSerializer.Deserialize<Marker>(File.ReadAllText(marker))!;
            var verdict = Enum.Parse<Verdict>(m.Verdict);
            return new CompileEntry(new CompileResult { Verdict = verdict, Output = m.Output }, verdict == Verdict.Ok ? dir : null, m.FileName);
        }
        catch (Exception e) when (e is IOException or JsonException or ArgumentException)
        {
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

/// <summary>A compile outcome and, when it succeeded, the host directory holding the artifact.</summary>
internal sealed record CompileEntry(CompileResult Result, string? Directory, string SourceFileName);
