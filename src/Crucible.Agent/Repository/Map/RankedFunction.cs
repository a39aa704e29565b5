namespace Crucible.Agent.Repository.Map;

/// <summary>A definition's BM25 relevance to an issue.</summary>
public sealed record RankedFunction(string Path, SymbolDefinition Definition, double Score);
