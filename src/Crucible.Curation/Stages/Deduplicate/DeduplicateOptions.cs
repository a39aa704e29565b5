namespace Crucible.Curation;

/// <summary>How the deduplicate stage compares statements.</summary>
public sealed record DeduplicateOptions
{
    /// <summary>Jaccard similarity of word shingles at or above which two statements are near-duplicates.</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>Words per shingle.</summary>
    public int ShingleSize { get; init; } = 3;

    /// <summary>MinHash permutations (signature length).</summary>
    public int Permutations { get; init; } = 128;

    /// <summary>Also look for near-duplicates (not only exact copies of the normalized statement).</summary>
    public bool Near { get; init; } = true;
}
