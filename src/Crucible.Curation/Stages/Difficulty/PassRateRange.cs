using System.Globalization;
using System.Text.RegularExpressions;

namespace Crucible.Curation;

/// <summary>
/// The pass rates a problem may have to be kept, e.g. <c>0&lt;p&lt;1</c> (neither always nor never solved: the only
/// problems whose GRPO/RLOO advantages are not all zero) or <c>0.1&lt;=p&lt;=0.9</c>.
/// </summary>
public sealed partial record PassRateRange(double Low, bool LowInclusive, double High, bool HighInclusive)
{
    public static PassRateRange Default { get; } = new(0, false, 1, false);

    public bool Contains(double p) =>
        (LowInclusive ? p >= Low : p > Low) && (HighInclusive ? p <= High : p < High);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Low}{(LowInclusive ? "<=" : "<")}p{(HighInclusive ? "<=" : "<")}{High}");

    /// <summary>Parses <c>A&lt;p&lt;B</c> with <c>&lt;</c> or <c>&lt;=</c> on either side; throws naming the expected form.</summary>
    public static PassRateRange Parse(string text)
    {
        var m = RangePattern().Match(text.Replace(" ", "", StringComparison.Ordinal));
        if (!m.Success
            || !double.TryParse(m.Groups["lo"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var lo)
            || !double.TryParse(m.Groups["hi"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var hi)
            || lo > hi || lo < 0 || hi > 1)
            throw new FormatException($"pass-rate range '{text}' is not of the form A<p<B with 0 <= A <= B <= 1 (use <= for inclusive ends), e.g. 0<p<1 or 0.1<=p<=0.9.");
        return new PassRateRange(lo, m.Groups["lop"].Value == "<=", hi, m.Groups["hip"].Value == "<=");
    }

    [GeneratedRegex(@"^(?<lo>[0-9.]+)(?<lop><=?)p(?<hip><=?)(?<hi>[0-9.]+)$")]
    private static partial Regex RangePattern();
}
