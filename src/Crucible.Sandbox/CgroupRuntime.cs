using System.Globalization;

namespace Crucible.Sandbox;

/// <summary>
/// Finds where this process may create cgroups (v2 unified, or v1 memory+pids+cpuacct) and makes one
/// cgroup per run under a parent owned by this process. When neither works, runs fall back to rlimits.
/// </summary>
internal sealed class CgroupRuntime : IDisposable
{
    private static int _counter;
    private const string TagPrefix = "crucible-";
    private readonly List<string> _parents = [];

    public CgroupVersion Version { get; }

    /// <summary>Why cgroups are not used, when <see cref="Version"/> is None.</summary>
    public string? Unavailable { get; }

    // v1: one parent per controller; v2: a single parent.
    private readonly string? _memory, _pids, _cpu;
    private readonly CgroupFeatures _features;

    private CgroupRuntime(CgroupVersion version, string? unavailable, string? memory, string? pids, string? cpu)
    {
        Version = version;
        Unavailable = unavailable;
        _memory = memory;
        _pids = pids;
        _cpu = cpu;
        _features = new CgroupFeatures(memory is not null && version == CgroupVersion.V1 && File.Exists(Path.Combine(memory, "memory.memsw.limit_in_bytes")));
        foreach (var p in new[] { memory, pids, cpu }) if (p is not null && !_parents.Contains(p)) _parents.Add(p);
    }

    public static CgroupRuntime Create(bool disabled)
    {
        if (disabled) return new CgroupRuntime(CgroupVersion.None, "disabled by options", null, null, null);
        var tag = $"{TagPrefix}{ProcessStamp.Current}-{Guid.NewGuid():N}"[..48];
        try
        {
            if (File.Exists("/sys/fs/cgroup/cgroup.controllers"))
                return CreateV2(tag);
            if (Directory.Exists("/sys/fs/cgroup/memory") && Directory.Exists("/sys/fs/cgroup/pids"))
                return CreateV1(tag);
            return new CgroupRuntime(CgroupVersion.None, "no cgroup v1 or v2 hierarchy mounted at /sys/fs/cgroup", null, null, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CgroupRuntime(CgroupVersion.None, $"cannot create cgroups ({e.Message}); run as root for tree-wide memory and process limits", null, null, null);
        }
    }

    private static Dictionary<string, string> OwnCgroups()
    {
        var map = new Dictionary<string, string>();
        foreach (var line in File.ReadAllLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3) continue;
            foreach (var c in parts[1].Split(',')) map[c] = parts[2];
        }
        return map;
    }

    private static CgroupRuntime CreateV1(string tag)
    {
        var own = OwnCgroups();
        string Make(string controller)
        {
            var rel = own.TryGetValue(controller, out var r) ? r : "/";
            var parent = Path.Combine("/sys/fs/cgroup/" + controller, rel.TrimStart('/'), tag);
            RemoveStaleSiblings(Path.GetDirectoryName(parent)!);
            Directory.CreateDirectory(parent);
            return parent;
        }
        var memory = Make("memory");
        var pids = Make("pids");
        var cpuRoot = Directory.Exists("/sys/fs/cgroup/cpuacct") ? "cpuacct" : "cpu,cpuacct";
        string cpu;
        var rel = own.TryGetValue("cpuacct", out var cr) ? cr : "/";
        cpu = Path.Combine("/sys/fs/cgroup/" + cpuRoot, rel.TrimStart('/'), tag);
        RemoveStaleSiblings(Path.GetDirectoryName(cpu)!);
        Directory.CreateDirectory(cpu);
        // Hierarchical accounting so a run's children are charged to it.
        TryWrite(Path.Combine(memory, "memory.use_hierarchy"), "1");
        return new CgroupRuntime(CgroupVersion.V1, null, memory, pids, cpu);
    }

    /// <summary>
    /// Environment variable naming the cgroup v2 directory (relative to /sys/fs/cgroup) to make run cgroups under, in
    /// place of the process's own cgroup. In a container the process's own cgroup holds the process and so cannot hand
    /// controllers to children (cgroup v2's no-internal-process rule); the image's entrypoint moves the server into a
    /// leaf and points this at the container's cgroup root (see deploy/entrypoint.sh).
    /// </summary>
    public const string ParentVariable = "CRUCIBLE_CGROUP_PARENT";

    private static CgroupRuntime CreateV2(string tag)
    {
        var own = Environment.GetEnvironmentVariable(ParentVariable) is { Length: > 0 } configured ? configured : OwnCgroups().GetValueOrDefault("", "/");
        var parent = Path.Combine("/sys/fs/cgroup", own.TrimStart('/'), tag);
        RemoveStaleSiblings(Path.GetDirectoryName(parent)!);
        Directory.CreateDirectory(parent);
        try
        {
            File.WriteAllText(Path.Combine(parent, "cgroup.subtree_control"), "+memory +pids +cpu");
        }
        catch (IOException e)
        {
            Directory.Delete(parent);
            return new CgroupRuntime(CgroupVersion.None, $"cgroup v2 controllers cannot be delegated under {own} ({e.Message})", null, null, null);
        }
        return new CgroupRuntime(CgroupVersion.V2, null, parent, parent, parent);
    }

    /// <summary>CPU time of everything run under this runtime's cgroups so far (runs, runners, zygotes); null without cgroups.</summary>
    public TimeSpan? TotalCpuTime() => Version == CgroupVersion.None ? null : RunCgroup.CpuUsageOf(_cpu!, Version);

    /// <summary>A fresh cgroup (set) for one run, with the limits applied. Null when cgroups are unavailable.</summary>
    public RunCgroup? CreateRun(ResourceLimits limits)
    {
        if (Version == CgroupVersion.None) return null;
        var name = "r" + Interlocked.Increment(ref _counter).ToString(CultureInfo.InvariantCulture);
        var run = new RunCgroup(Version,
            Path.Combine(_memory!, name), Path.Combine(_pids!, name), Path.Combine(_cpu!, name), _features);
        run.Apply(limits);
        return run;
    }

    /// <summary>
    /// Removes the cgroups of Crucible processes that died without removing them. Only empty ones go: a cgroup that
    /// still holds processes is left alone (its processes might belong to a pid namespace this process cannot see).
    /// </summary>
    private static void RemoveStaleSiblings(string directory)
    {
        IEnumerable<string> candidates;
        try { candidates = Directory.EnumerateDirectories(directory, TagPrefix + "*").ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var stale in candidates)
        {
            if (!ProcessStamp.IsStaleName(Path.GetFileName(stale)[TagPrefix.Length..])) continue;
            try
            {
                foreach (var run in Directory.EnumerateDirectories(stale)) Directory.Delete(run);
                Directory.Delete(stale);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    internal static void TryWrite(string path, string value)
    {
        try { CgroupFs.WriteText(path, value); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public void Dispose()
    {
        foreach (var p in _parents)
        {
            try
            {
                foreach (var child in Directory.GetDirectories(p)) RunCgroup.RemoveWithKill(child);
                Directory.Delete(p);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}

/// <summary>Optional cgroup files probed once, so runs do not pay for failed writes.</summary>
internal readonly record struct CgroupFeatures(bool SwapAccounting);

internal enum CgroupVersion
{
    None,
    V1,
    V2,
}
