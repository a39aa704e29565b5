namespace Crucible.Curation;

/// <summary>
/// Near-duplicate search over many texts: MinHash signatures of word shingles, banded locality-sensitive hashing to
/// find candidate pairs without comparing every pair, then the exact Jaccard similarity of each candidate's shingle
/// sets (so reported pairs are never false positives; what LSH can miss are pairs it never proposes).
/// The band layout is chosen so a pair exactly at the threshold becomes a candidate with probability ≥ 99%.
/// </summary>
public sealed class NearDuplicateIndex
{
    private readonly ulong[] _seeds;

    public NearDuplicateIndex(double threshold, int shingleSize = 3, int permutations = 128)
    {
        if (threshold is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "the similarity threshold must be in (0, 1].");
        if (permutations < 8) throw new ArgumentOutOfRangeException(nameof(permutations), permutations, "use at least 8 MinHash permutations.");
        Threshold = threshold;
        ShingleSize = shingleSize;
        (Bands, Rows) = ChooseBands(threshold, permutations);
        _seeds = Enumerable.Range(0, Bands * Rows).Select(i => NGramHasher.Mix(0x9E3779B97F4A7C15UL * (ulong)(i + 1))).ToArray();
    }

    public double Threshold { get; }
    public int ShingleSize { get; }
    public int Bands { get; }
    public int Rows { get; }

    /// <summary>The most rows per band whose bands still make a pair at the threshold a candidate with probability ≥ 0.99.</summary>
    internal static (int Bands, int Rows) ChooseBands(double threshold, int permutations)
    {
        var best = (Bands: permutations, Rows: 1);
        for (var r = 1; r <= permutations; r++)
        {
            var b = permutations / r;
            if (b < 1) break;
            var p = 1 - Math.Pow(1 - Math.Pow(threshold, r), b);
            if (p >= 0.99) best = (b, r);
        }
        return best;
    }

    /// <summary>Word-shingle hashes of a text (what similarity is measured on).</summary>
    public ulong[] Shingles(string text) => NGramHasher.Hashes(TextNormalizer.Words(text), ShingleSize);

    /// <summary>
    /// Every pair (i &lt; j) of <paramref name="shingles"/> whose Jaccard similarity is at least the threshold, found
    /// through LSH. Empty texts are never duplicates of anything.
    /// </summary>
    public List<SimilarPair> FindPairs(IReadOnlyList<ulong[]> shingles)
    {
        var signatures = new ulong[shingles.Count][];
        Parallel.For(0, shingles.Count, i => signatures[i] = Signature(shingles[i]));
        var candidates = new HashSet<(int, int)>();
        var buckets = new Dictionary<ulong, List<int>>();
        for (var band = 0; band < Bands; band++)
        {
            buckets.Clear();
            for (var i = 0; i < shingles.Count; i++)
            {
                if (shingles[i].Length == 0) continue;
                var h = (ulong)band * 0x9E3779B97F4A7C15UL;
                for (var r = 0; r < Rows; r++) h = NGramHasher.Mix(h ^ signatures[i][band * Rows + r]);
                if (!buckets.TryGetValue(h, out var list)) buckets[h] = list = [];
                list.Add(i);
            }
            foreach (var list in buckets.Values)
                for (var a = 0; a < list.Count; a++)
                    for (var b = a + 1; b < list.Count; b++)
                        candidates.Add((list[a], list[b]));
        }
        var pairs = new List<SimilarPair>();
        foreach (var (a, b) in candidates)
        {
            var j = NGramHasher.Jaccard(shingles[a], shingles[b]);
            if (j >= Threshold) pairs.Add(new SimilarPair(a, b, j));
        }
        pairs.Sort((x, y) => x.First != y.First ? x.First.CompareTo(y.First) : x.Second.CompareTo(y.Second));
        CandidatesLastRun = candidates.Count;
        return pairs;
    }

    /// <summary>Candidate pairs LSH proposed in the last <see cref="FindPairs"/> (the work the exact check did).</summary>
    public int CandidatesLastRun { get; private set; }

    /// <summary>The exact answer by comparing every pair: the baseline LSH is measured against (quadratic).</summary>
    public List<SimilarPair> FindPairsExhaustively(IReadOnlyList<ulong[]> shingles)
    {
        var pairs = new List<SimilarPair>();
        for (var a = 0; a < shingles.Count; a++)
        {
            if (shingles[a].Length == 0) continue;
            for (var b = a + 1; b < shingles.Count; b++)
            {
                if (shingles[b].Length == 0) continue;
                var j = NGramHasher.Jaccard(shingles[a], shingles[b]);
                if (j >= Threshold) pairs.Add(new SimilarPair(a, b, j));
            }
        }
        return pairs;
    }

    private ulong[] Signature(ulong[] shingles)
    {
        var sig = new ulong[_seeds.Length];
        Array.Fill(sig, ulong.MaxValue);
        foreach (var s in shingles)
            for (var k = 0; k < _seeds.Length; k++)
            {
                var h = NGramHasher.Mix(s ^ _seeds[k]);
                if (h < sig[k]) sig[k] = h;
            }
        return sig;
    }
}
