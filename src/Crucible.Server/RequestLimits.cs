using Crucible.Client;

namespace Crucible.Server;

/// <summary>The wire range checks (<see cref="WireLimits"/>) with this server's own ceilings.</summary>
internal static class RequestLimits
{
    public static TimeSpan? CpuSeconds(double? seconds, string field) => WireLimits.Seconds(seconds, field);

    public static TimeSpan Seconds(double seconds, string field) => WireLimits.Seconds(seconds, field);

    /// <summary>A memory limit in MiB, checked against the server's ceiling (<c>crucible serve --max-memory</c>).</summary>
    public static long MemoryBytes(long megabytes, long maxBytes, string field)
    {
        try { return WireLimits.MemoryBytes(megabytes, field, maxBytes); }
        catch (InvalidFieldException e) { throw new InvalidFieldException(e.Field, e.Message.Replace("this server allows", "this server allows (crucible serve --max-memory)", StringComparison.Ordinal)); }
    }
}
