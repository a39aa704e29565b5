using System.Text.Json;

namespace Crucible.Agent.Repository.Map;

/// <summary>
/// Parsed symbols on disk, keyed by the file's content hash and the parser's version (never by path or mtime, so a
/// renamed or copied file still hits and an edited one never does). One small JSON file per entry, written atomically:
/// concurrent builds of the same repository at most parse a file twice.
/// </summary>
public sealed class SymbolCache(string directory)
{
    public string Directory { get; } = directory;

    /// <summary><c>$CRUCIBLE_STATE/repo-map</c>, else a directory under the system temp dir.</summary>
    public static SymbolCache Default()
    {
        var state = Environment.GetEnvironmentVariable("CRUCIBLE_STATE");
        var root = string.IsNullOrWhiteSpace(state) ? Path.Combine(Path.GetTempPath(), "crucible-repo-map") : Path.Combine(state, "repo-map");
        return new SymbolCache(root);
    }

    public FileSymbols? TryGet(string parserVersion, string hash)
    {
        var path = PathFor(parserVersion, hash);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<FileSymbols>(File.ReadAllBytes(path), PythonHelper.Json);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null; // a torn or foreign entry is a miss, never an error
        }
    }

    public void Put(string parserVersion, string hash, FileSymbols symbols)
    {
        var path = PathFor(parserVersion, hash);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Environment.ProcessId + "." + Environment.CurrentManagedThreadId + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(symbols, PythonHelper.Json));
        File.Move(temp, path, overwrite: true);
    }

    private string PathFor(string parserVersion, string hash) => Path.Combine(Directory, parserVersion, hash[..2], hash + ".json");
}
