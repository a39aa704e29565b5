namespace Crucible.Curation;

/// <summary>
/// 64-bit hashes of the n-grams (shingles) of a token sequence: FNV-1a over the tokens, finished with a SplitMix64
/// mixer so nearby n-grams spread over the whole range (MinHash needs that). Deterministic across runs and machines.
/// </summary>
public static class NGramHasher
{
    private const ulong Offset = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    /// <summary>
    /// Distinct hashes of the n-grams of <paramref name="tokens"/>, sorted. A sequence shorter than n gives one hash of
    /// the whole sequence, so short texts still compare.
    /// </summary>
    public static ulong[] Hashes(IReadOnlyList<string> tokens, int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "n-gram size must be at least 1.");
        if (tokens.Count == 0) return [];
        var tokenHashes = new ulong[tokens.Count];
        for (var i = 0; i < tokens.Count; i++) tokenHashes[i] = Token(tokens[i]);
        var count = Math.Max(1, tokens.Count - n + 1);
        var set = new HashSet<ulong>(count);
        for (var i = 0; i < count; i++)
        {
            var h = Offset;
            for (var j = i; j < Math.Min(i + n, tokens.Count); j++) h = (h ^ tokenHashes[j]) * Prime;
            set.Add(Mix(h));
        }
        var result = set.ToArray();
        Array.Sort(result);
        return result;
    }

    private static ulong Token(string s)
    {
        var h = Offset;
        foreach (var c in s) h = (h ^ c) * Prime;
        return Mix(h);
    }

    /// <summary>SplitMix64 finalizer.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
        return z ^ (z >> 31);
    }

    /// <summary>Jaccard similarity of two sorted hash sets.</summary>
    public static double Jaccard(ulong[] a, ulong[] b)
    {
        if (a.Length == 0 && b.Length == 0) return 1;
        var shared = Shared(a, b);
        return (double)shared / (a.Length + b.Length - shared);
    }

    /// <summary>Number of hashes two sorted sets share.</summary>
    public static int Shared(ulong[] a, ulong[] b)
    {
        int i = 0, j = 0, shared = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j]) { shared++; i++; j++; }
            else if (a[i] < b[j]) i++;
            else j++;
        }
        return shared;
    }
}
