using Crucible.Client;

namespace Crucible.Server;

/// <summary>
/// Range checks for the numbers a request carries. JSON lets through values no limit can use — 1e-300 seconds,
/// a terabyte of memory — and each must be refused as the client's mistake, naming the field, never reach the sandbox.
/// </summary>
internal static class RequestLimits
{
    /// <summary>Shortest time limit accepted: below a millisecond a limit cannot be measured, let alone met.</summary>
    public const double MinSeconds = 0.001;

    /// <summary>Longest time limit accepted for one run or test.</summary>
    public const double MaxSeconds = 3600;

    /// <summary>A time limit in seconds, or null when not given; throws naming <paramref name="field"/> when out of range.</summary>
    public static TimeSpan? CpuSeconds(double? seconds, string field) => seconds is { } s ? Seconds(s, field) : null;

    public static TimeSpan Seconds(double seconds, string field)
    {
        if (!double.IsFinite(seconds) || seconds < MinSeconds || seconds > MaxSeconds)
            throw new InvalidFieldException(field, $"{field} must be a number of seconds in [{MinSeconds}, {MaxSeconds}], got {seconds}.");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>A memory limit in MiB, checked against the server's ceiling (<c>crucible serve --max-memory</c>).</summary>
    public static long MemoryBytes(long megabytes, long maxBytes, string field)
    {
        if (megabytes < 4)
            throw new InvalidFieldException(field, $"{field} must be at least 4 (MiB), got {megabytes}.");
        if (megabytes > maxBytes >> 20)
            throw new InvalidFieldException(field, $"{field} of {megabytes} MiB is more than this server allows ({maxBytes >> 20} MiB, crucible serve --max-memory); ask for at most that.");
        return megabytes << 20;
    }
}
