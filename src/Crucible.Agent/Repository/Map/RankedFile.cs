namespace Crucible.Agent.Repository.Map;

/// <summary>A file's relevance to an issue: the combined score and its two signals (PageRank, BM25), each scaled to 0..1.</summary>
public sealed record RankedFile(string Path, double Score, double PageRank, double Bm25, bool Mentioned);
