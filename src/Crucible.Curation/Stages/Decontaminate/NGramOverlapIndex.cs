namespace Crucible.Curation;

/// <summary>
/// An inverted index from n-gram hash to the reference texts holding it, answering "which reference texts share how
/// many n-grams with this text" in time proportional to the text, not to the number of reference texts.
/// </summary>
public sealed class NGramOverlapIndex
{
    private readonly Dictionary<ulong, List<int>> _postings = [];
    private readonly List<int> _sizes = [];

    /// <summary>Adds a reference text's n-gram hashes; returns its index.</summary>
    public int Add(ulong[] ngrams)
    {
        var id = _sizes.Count;
        _sizes.Add(ngrams.Length);
        foreach (var g in ngrams)
        {
            if (!_postings.TryGetValue(g, out var list)) _postings[g] = list = [];
            list.Add(id);
        }
        return id;
    }

    public int Count => _sizes.Count;

    /// <summary>Reference texts sharing n-grams with <paramref name="ngrams"/>: (index, shared count, shared ÷ smaller set size).</summary>
    public IEnumerable<(int Index, int Shared, double Overlap)> Overlaps(ulong[] ngrams)
    {
        var counts = new Dictionary<int, int>();
        foreach (var g in ngrams)
            if (_postings.TryGetValue(g, out var list))
                foreach (var id in list)
                    counts[id] = counts.GetValueOrDefault(id) + 1;
        foreach (var (id, shared) in counts)
            yield return (id, shared, (double)shared / Math.Max(1, Math.Min(ngrams.Length, _sizes[id])));
    }
}
