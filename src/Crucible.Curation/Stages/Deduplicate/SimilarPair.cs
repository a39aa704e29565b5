namespace Crucible.Curation;

/// <summary>Two texts (by index, First &lt; Second) whose shingle sets have Jaccard similarity <see cref="Similarity"/>.</summary>
public readonly record struct SimilarPair(int First, int Second, double Similarity);
