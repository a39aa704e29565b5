using System.Globalization;

namespace Crucible.Server.Tests;

/// <summary>Looks at this machine's processes through /proc: finding a sandboxed program, and what is left after a stop.</summary>
internal static class SandboxProcesses
{
    /// <summary>Pids whose command line contains <paramref name="marker"/>.</summary>
    public static List<int> WithMarker(string marker)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(marker, StringComparison.Ordinal)) found.Add(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    /// <summary>The parent of <paramref name="pid"/>, or 0 when the process has already gone (it may exit while we look).</summary>
    public static int ParentOf(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("PPid:", StringComparison.Ordinal)) return int.Parse(line[5..].Trim(), CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        return 0;
    }

    /// <summary>
    /// The sandbox launcher of <paramref name="pid"/>: its ancestor whose parent is this process (the test host runs
    /// the server in-process). That process is bubblewrap, which the launcher shell exec'd. For a run forked by a
    /// zygote it is the run's own init (pid 1 of the run's pid namespace, a child of the zygote beside the program),
    /// so killing it fails that run only; the zygote above serves every run.
    /// </summary>
    public static int LauncherOf(int pid)
    {
        var init = RunInitOf(pid);
        if (init > 0) return init;
        var me = Environment.ProcessId;
        for (var p = pid; p > 1; p = ParentOf(p))
            if (ParentOf(p) == me) return p;
        return 0;
    }

    /// <summary>Pid 1 of <paramref name="pid"/>'s pid namespace when that is a zygote run's namespace, else 0.</summary>
    private static int RunInitOf(int pid)
    {
        var ns = PidNamespaceOf(pid);
        if (ns is null) return 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var p) || PidNamespaceOf(p) != ns) continue;
            try
            {
                var nsPid = File.ReadLines($"/proc/{p}/status").FirstOrDefault(l => l.StartsWith("NSpid:", StringComparison.Ordinal))?.Split('\t', ' ').Last();
                if (nsPid == "1" && IsZygote(ParentOf(p))) return p;
            }
            catch (IOException) { }
        }
        return 0;
    }

    private static string? PidNamespaceOf(int pid)
    {
        try { return new FileInfo($"/proc/{pid}/ns/pid").LinkTarget; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static bool IsZygote(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Contains("/runner/zygote.py", StringComparison.Ordinal); }
        catch (IOException) { return false; }
    }

    /// <summary>
    /// Waits until a process with the marker appears (the program has started), or fails the test. With
    /// <paramref name="answer"/> (the request that runs the program), a request answered before the marker was seen
    /// fails the test at once, with that answer: the program never ran, or ran and ended unseen.
    /// </summary>
    public static async Task<int> WaitForAsync(string marker, TimeSpan timeout, Task<(int Status, System.Text.Json.JsonElement Body, HttpResponseMessage Response)>? answer = null)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            var answeredBefore = answer is { IsCompleted: true };
            var pids = WithMarker(marker).Where(p => p != Environment.ProcessId).ToList();
            if (pids.Count > 0) return pids[0];
            if (answeredBefore)
            {
                var (status, body, _) = await answer!;
                Assert.Fail($"the request was answered before a process with marker {marker} was seen: {status} {body}");
            }
            await Task.Delay(50);
        }
        Assert.Fail($"no process with marker {marker} appeared within {timeout.TotalSeconds} s");
        return 0;
    }

    /// <summary>A python program that replaces itself with a long sleep whose argv[0] is the marker, so tests can find it.</summary>
    public static string SleeperSource(string marker, int seconds = 30) =>
        $"import os\nos.execv('/bin/sleep', ['{marker}', '{seconds}'])\n";
}
