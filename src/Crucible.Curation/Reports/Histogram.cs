using System.Globalization;

namespace Crucible.Curation;

/// <summary>Counts of values in labelled bins, for the reports' histograms.</summary>
public sealed record Histogram(string Title, IReadOnlyList<KeyValuePair<string, int>> Bins)
{
    /// <summary>Bins at the given upper edges (value ≤ edge), plus one open bin above the last edge.</summary>
    public static Histogram Of(string title, IEnumerable<double> values, IReadOnlyList<double> edges, Func<double, string> label)
    {
        var counts = new int[edges.Count + 1];
        foreach (var v in values)
        {
            var i = 0;
            while (i < edges.Count && v > edges[i]) i++;
            counts[i]++;
        }
        var bins = new List<KeyValuePair<string, int>>();
        for (var i = 0; i <= edges.Count; i++)
        {
            var name = i == 0 ? $"≤{label(edges[0])}" : i == edges.Count ? $">{label(edges[^1])}" : $"{label(edges[i - 1])}–{label(edges[i])}";
            bins.Add(KeyValuePair.Create(name, counts[i]));
        }
        return new Histogram(title, bins);
    }

    /// <summary>One bin per distinct value (for small integer ranges such as pass rates of n samples).</summary>
    public static Histogram Exact(string title, IEnumerable<double> values) =>
        new(title, values.GroupBy(v => v).OrderBy(g => g.Key).Select(g => KeyValuePair.Create(g.Key.ToString("0.###", CultureInfo.InvariantCulture), g.Count())).ToList());

    public int Total => Bins.Sum(b => b.Value);
}
