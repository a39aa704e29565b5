using System.Diagnostics;

namespace Crucible.Agent.Repository.Map;

/// <summary>
/// Builds a <see cref="RepositoryMap"/>: loads the repository's files, takes each file's symbols from the cache by
/// content hash, and parses only the misses, a batch per language. A parser that cannot run (no Python installed)
/// leaves its files without symbols and says so in <see cref="MapBuildStats.Warnings"/>: the map still ranks them by BM25.
/// </summary>
public sealed class RepositoryMapBuilder(SymbolCache? cache = null, IReadOnlyList<ISymbolParser>? parsers = null)
{
    private readonly IReadOnlyList<ISymbolParser> _parsers = parsers ?? [new PythonSymbolParser(), new CSharpSymbolParser()];

    public SymbolCache? Cache { get; } = cache;

    public async Task<RepositoryMap> BuildAsync(string root, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var files = RepositoryFiles.Load(root);
        var symbols = new Dictionary<string, FileSymbols>(StringComparer.Ordinal);
        var warnings = new List<string>();
        int hits = 0, parsed = 0;
        foreach (var parser in _parsers)
        {
            var mine = files.Where(f => f.Language == parser.Language).ToArray();
            var misses = new List<SourceFile>();
            foreach (var f in mine)
            {
                if (Cache?.TryGet(parser.Version, f.Hash) is { } cached) { symbols[f.Path] = cached; hits++; }
                else misses.Add(f);
            }
            if (misses.Count == 0) continue;
            // Identical files (vendored copies, empty __init__.py) are parsed once.
            var unique = misses.DistinctBy(f => f.Hash).ToArray();
            IReadOnlyList<FileSymbols> found;
            try
            {
                found = await parser.ParseAsync(unique, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                warnings.Add($"{parser.Language} files have no symbols: {e.Message}");
                continue;
            }
            var byHash = new Dictionary<string, FileSymbols>(StringComparer.Ordinal);
            for (var i = 0; i < unique.Length; i++)
            {
                byHash[unique[i].Hash] = found[i];
                Cache?.Put(parser.Version, unique[i].Hash, found[i]);
            }
            foreach (var f in misses) symbols[f.Path] = byHash[f.Hash];
            parsed += unique.Length;
        }
        var stats = new MapBuildStats
        {
            Files = files.Count, Parsed = parsed, CacheHits = hits, SyntaxErrors = symbols.Values.Count(s => s.SyntaxError is not null),
            Elapsed = Stopwatch.GetElapsedTime(started), Warnings = warnings,
        };
        return new RepositoryMap(Path.GetFullPath(root), files, symbols, stats);
    }
}
