namespace Crucible.Agent.Repository.Map;

/// <summary>How a map was built: files seen, parsed now, taken from the cache, failing to parse; and how long it took.</summary>
public sealed record MapBuildStats
{
    public int Files { get; init; }
    public int Parsed { get; init; }
    public int CacheHits { get; init; }
    public int SyntaxErrors { get; init; }
    public TimeSpan Elapsed { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
