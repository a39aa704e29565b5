namespace Crucible.Agent.Repository.Map;

/// <summary>Personalised PageRank by power iteration over a weighted directed graph given as adjacency lists.</summary>
public static class PageRank
{
    /// <param name="edges">edges[i] = (target, weight) pairs leaving node i.</param>
    /// <param name="personalization">Teleport distribution (any non-negative weights; uniform when all zero).</param>
    public static double[] Compute(IReadOnlyList<IReadOnlyList<(int Target, double Weight)>> edges, double[] personalization, double damping = 0.85, int iterations = 40)
    {
        var n = edges.Count;
        if (n == 0) return [];
        var teleport = Normalise(personalization);
        var outWeight = edges.Select(e => e.Sum(x => x.Weight)).ToArray();
        var rank = (double[])teleport.Clone();
        var next = new double[n];
        for (var it = 0; it < iterations; it++)
        {
            Array.Clear(next);
            var dangling = 0.0;
            for (var i = 0; i < n; i++)
            {
                if (outWeight[i] <= 0) { dangling += rank[i]; continue; }
                foreach (var (t, w) in edges[i]) next[t] += damping * rank[i] * w / outWeight[i];
            }
            // Rank stuck in nodes without out-edges goes back through the personalisation, not uniformly.
            for (var i = 0; i < n; i++) next[i] += ((1 - damping) + damping * dangling) * teleport[i];
            (rank, next) = (next, rank);
        }
        return rank;
    }

    private static double[] Normalise(double[] weights)
    {
        var sum = weights.Sum();
        return sum > 0 ? weights.Select(w => w / sum).ToArray() : Enumerable.Repeat(1.0 / weights.Length, weights.Length).ToArray();
    }
}
