using System.Globalization;

namespace Crucible.Curation;

/// <summary>
/// Which tests a problem keeps for its training reward: all, the first N, or the N with the largest inputs
/// (DeepCoder rewards on up to 15 tests, the longest inputs, since long inputs catch slow and wrong solutions alike).
/// </summary>
public sealed record TestSelection(TestSelectionMode Mode, int Count = 0)
{
    public static TestSelection All { get; } = new(TestSelectionMode.All);

    public override string ToString() => Mode switch
    {
        TestSelectionMode.First => $"first {Count}",
        TestSelectionMode.Longest => $"longest {Count}",
        _ => "all",
    };

    /// <summary>Parses <c>all</c>, <c>first:N</c> or <c>longest:N</c>; throws naming the expected forms.</summary>
    public static TestSelection Parse(string text)
    {
        var parts = text.Trim().ToLowerInvariant().Split(':', 2);
        if (parts[0] == "all" && parts.Length == 1) return All;
        if (parts.Length == 2 && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            if (parts[0] == "first") return new TestSelection(TestSelectionMode.First, n);
            if (parts[0] == "longest") return new TestSelection(TestSelectionMode.Longest, n);
        }
        throw new FormatException($"test selection '{text}' is not one of: all, first:N, longest:N (e.g. longest:15).");
    }
}
