using System.Globalization;

namespace Crucible.Cli;

/// <summary>Parses human sizes and durations on the command line ("256m", "2s", "1500ms").</summary>
internal static class Sizes
{
    public static long ParseBytes(string text, bool allowZero = false)
    {
        var t = text.Trim().ToLowerInvariant();
        long mult = 1;
        if (t.EndsWith("ib", StringComparison.Ordinal)) t = t[..^2];
        else if (t.EndsWith('b')) t = t[..^1];
        switch (t.LastOrDefault())
        {
            case 'k': mult = 1L << 10; t = t[..^1]; break;
            case 'm': mult = 1L << 20; t = t[..^1]; break;
            case 'g': mult = 1L << 30; t = t[..^1]; break;
        }
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v < 0 || (v == 0 && !allowZero))
            throw new FormatException($"'{text}' is not a size; use e.g. 256m, 1g, 65536.");
        return (long)(v * mult);
    }

    public static TimeSpan ParseDuration(string text, bool allowZero = false)
    {
        var t = text.Trim().ToLowerInvariant();
        double mult = 1;
        if (t.EndsWith("ms", StringComparison.Ordinal)) { mult = 0.001; t = t[..^2]; }
        else if (t.EndsWith('s')) t = t[..^1];
        else if (t.EndsWith('m')) { mult = 60; t = t[..^1]; }
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v < 0 || (v == 0 && !allowZero))
            throw new FormatException($"'{text}' is not a duration; use e.g. 2s, 1500ms, 1m.");
        return TimeSpan.FromSeconds(v * mult);
    }
}
