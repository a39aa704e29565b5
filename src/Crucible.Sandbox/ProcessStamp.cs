using System.Globalization;

namespace Crucible.Sandbox;

/// <summary>
/// Names this process uniquely on the machine: pid plus the process's start time (clock ticks since boot), so a
/// recycled pid never passes for a live owner. Every name Crucible creates under a shared state root starts with
/// it, which makes two processes on one state root unable to collide and lets either clean up after a dead one.
/// </summary>
internal static class ProcessStamp
{
    /// <summary>This process's stamp, e.g. <c>4242.918273</c>.</summary>
    public static string Current { get; } = Of(Environment.ProcessId) ?? Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".0";

    /// <summary>The stamp of a running process, or null when there is no such process.</summary>
    public static string? Of(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // The command name (field 2) may contain spaces and parentheses: fields are counted after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return pid.ToString(CultureInfo.InvariantCulture) + "." + fields[19];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>
    /// True when <paramref name="name"/> starts with the stamp of a process that no longer runs. Names that carry
    /// no stamp are never called stale: they are not ours to remove.
    /// </summary>
    public static bool IsStaleName(string name)
    {
        var dash = name.IndexOf('-');
        var stamp = dash < 0 ? name : name[..dash];
        var dot = stamp.IndexOf('.');
        if (dot <= 0 || !int.TryParse(stamp.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(stamp.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            return false;
        return Of(pid) != stamp;
    }
}
