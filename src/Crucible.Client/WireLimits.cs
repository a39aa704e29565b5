namespace Crucible.Client;

/// <summary>
/// Range checks shared by every wire type that carries a limit: JSON lets through numbers no limit can use
/// (1e-300 seconds, 2^60 MiB), and each must be refused as a bad field before it reaches the judge or the sandbox.
/// </summary>
public static class WireLimits
{
    /// <summary>Shortest time limit accepted: below a millisecond a limit cannot be measured, let alone met.</summary>
    public const double MinSeconds = 0.001;

    /// <summary>Longest time limit accepted for one run or test.</summary>
    public const double MaxSeconds = 3600;

    /// <summary>Largest memory limit any field may name, in MiB (1 TiB); servers cap lower (<c>crucible serve --max-memory</c>).</summary>
    public const long MaxMegabytes = 1L << 20;

    /// <summary>A time limit in seconds; throws <see cref="InvalidFieldException"/> naming <paramref name="field"/> when out of range.</summary>
    public static TimeSpan Seconds(double seconds, string field)
    {
        if (!double.IsFinite(seconds) || seconds < MinSeconds || seconds > MaxSeconds)
            throw new InvalidFieldException(field, $"{field} must be a number of seconds in [{MinSeconds}, {MaxSeconds}], got {seconds}.");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>An optional time limit in seconds (null stays null).</summary>
    public static TimeSpan? Seconds(double? seconds, string field) => seconds is { } s ? Seconds(s, field) : null;

    /// <summary>
    /// A memory limit in MiB as bytes; throws naming <paramref name="field"/> when below 4 MiB or above
    /// <paramref name="maxBytes"/> (<paramref name="ceilingSetBy"/> names the setting that raises the ceiling).
    /// </summary>
    public static long MemoryBytes(long megabytes, string field, long maxBytes = MaxMegabytes << 20, string? ceilingSetBy = null)
    {
        if (megabytes < 4)
            throw new InvalidFieldException(field, $"{field} must be at least 4 (MiB), got {megabytes}.");
        if (megabytes > maxBytes >> 20)
            throw new InvalidFieldException(field, $"{field} of {megabytes} MiB is more than this server allows ({maxBytes >> 20} MiB" +
                (ceilingSetBy is null ? "" : ", " + ceilingSetBy) + "); ask for at most that.");
        return megabytes << 20;
    }
}
