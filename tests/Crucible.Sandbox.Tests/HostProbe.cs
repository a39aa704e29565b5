using System.Globalization;

namespace Crucible.Sandbox.Tests;

/// <summary>Looks at the host from outside the sandbox: which processes a uid still has.</summary>
internal static class HostProbe
{
    public static List<int> ProcessesOfUid(uint uid)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                foreach (var line in File.ReadLines(Path.Combine(dir, "status")))
                {
                    if (!line.StartsWith("Uid:", StringComparison.Ordinal)) continue;
                    var real = line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
                    if (real == uid.ToString(CultureInfo.InvariantCulture)) found.Add(pid);
                    break;
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    /// <summary>Waits briefly for processes to be reaped, then returns what is still there.</summary>
    /// <remarks>Up to 3 s: a dead process's parent reaps it when next scheduled, which on a loaded 2-core machine
    /// running four sandbox suites at once can take a while; a leaked process stays for good.</remarks>
    public static async Task<List<int>> LeftoverProcessesAsync(uint uid, Func<IReadOnlyList<int>> allowed)
    {
        List<int> left = [];
        for (var i = 0; i < 150; i++)
        {
            var ok = allowed();
            left = ProcessesOfUid(uid).Where(p => !ok.Contains(p)).ToList();
            if (left.Count == 0) return left;
            await Task.Delay(20);
        }
        return left;
    }

    /// <summary>
    /// Fails when a process of the session's uid is left after its runs, beyond its warm runner (meant to outlive them).
    /// </summary>
    public static async Task AssertNothingLeftAsync(SandboxSession session, string? after = null)
    {
        var left = await LeftoverProcessesAsync(session.Uid, () => session.RunnerPids);
        Assert.True(left.Count == 0, $"processes of the session's uid survived {after ?? "the run"}: {string.Join("; ", left.Select(Describe))}");
    }

    public static string Describe(int pid)
    {
        try
        {
            var cmd = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            var cg = File.ReadAllLines($"/proc/{pid}/cgroup").FirstOrDefault(l => l.Contains("pids")) ?? "";
            // State and parent: a zombie ("Z", empty command line, and on cgroup v1 the root cgroup) names who failed to reap it.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return $"{pid} [{cmd.Trim()}] state {fields[0]} parent {fields[1]} {cg}";
        }
        catch (IOException)
        {
            return pid + " (gone)";
        }
    }
}
