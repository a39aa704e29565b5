namespace Crucible.Agent.Repository.Map;

/// <summary>Okapi BM25 over a fixed set of documents (files, or functions), queried with the terms.</summary>
public sealed class Bm25Index
{
    private readonly List<Dictionary<string, int>> _docs = [];
    private readonly List<int> _lengths = [];
    private readonly Dictionary<string, int> _documentFrequency = new(StringComparer.Ordinal);
    private readonly double _k1, _b;

    public Bm25Index(IEnumerable<IReadOnlyList<string>> documents, double k1 = 1.2, double b = 0.75)
    {
        _k1 = k1;
        _b = b;
        foreach (var terms in documents)
        {
            var tf = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var t in terms) tf[t] = tf.GetValueOrDefault(t) + 1;
            foreach (var t in tf.Keys) _documentFrequency[t] = _documentFrequency.GetValueOrDefault(t) + 1;
            _docs.Add(tf);
            _lengths.Add(terms.Count);
        }
    }

    public int Count => _docs.Count;

    /// <summary>Score of every document for <paramref name="query"/> (repeated query terms count once).</summary>
    public double[] Score(IEnumerable<string> query)
    {
        var scores = new double[_docs.Count];
        if (_docs.Count == 0) return scores;
        var avg = Math.Max(1.0, _lengths.Average());
        foreach (var term in query.Distinct(StringComparer.Ordinal))
        {
            if (!_documentFrequency.TryGetValue(term, out var df)) continue;
            var idf = Math.Log(1 + (_docs.Count - df + 0.5) / (df + 0.5));
            for (var i = 0; i < _docs.Count; i++)
            {
                if (!_docs[i].TryGetValue(term, out var tf)) continue;
                scores[i] += idf * tf * (_k1 + 1) / (tf + _k1 * (1 - _b + _b * _lengths[i] / avg));
            }
        }
        return scores;
    }
}
