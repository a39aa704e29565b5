namespace Crucible.Sandbox;

/// <summary>One command to execute inside a fresh set of namespaces: what to run, what it sees, and its limits.</summary>
internal sealed record SandboxCommand
{
    public required IReadOnlyList<string> Argv { get; init; }
    public required uint Uid { get; init; }
    public required ResourceLimits Limits { get; init; }

    /// <summary>Host directory bound at /box (the program and its build output).</summary>
    public required string BoxDirectory { get; init; }
    public bool BoxWritable { get; init; }

    /// <summary>Host directory bound read-write at /work; null to use /box as the working directory.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>Host directory bound at /tmp (inside the session's capped tmpfs); null for a fresh bubblewrap tmpfs.</summary>
    public string? TmpDirectory { get; init; }

    public IReadOnlyList<string> ExtraReadOnlyPaths { get; init; } = [];

    /// <summary>More host directories bound into the sandbox (warm runners: the control socket dir and the runner script).</summary>
    public IReadOnlyList<(string Host, string Inside, bool Writable)> ExtraBinds { get; init; } = [];
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public ReadOnlyMemory<byte> Stdin { get; init; }

    /// <summary>
    /// Zygotes only: stay root inside the sandbox with just these capabilities (no setpriv, no seccomp filter), so the
    /// process can build each run's namespaces; the runs it forks drop everything before any submitted code runs.
    /// </summary>
    public IReadOnlyList<string>? KeepCapabilities { get; init; }

    /// <summary>Called with the launcher's pid once it started (used by tests that attack the runner from outside).</summary>
    public Action<int>? OnStarted { get; init; }
}
