namespace Crucible.Sandbox;

/// <summary>
/// One command run inside a <see cref="SandboxWorkspace"/>: argv executed with the workspace bound read-write at
/// <c>/work</c> (the working directory), everything else as in any sandbox run (read-only /usr, no network, limits).
/// </summary>
public sealed record WorkspaceCommand
{
    /// <summary>Program and arguments; the program is looked up on the sandbox PATH (/usr/local/bin:/usr/bin:/bin).</summary>
    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>Extra environment variables (PATH, HOME=/tmp, TMPDIR, LANG are set by the sandbox unless given here).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Host paths made visible read-only at the same path (e.g. a virtualenv outside /usr).</summary>
    public IReadOnlyList<string> ReadOnlyPaths { get; init; } = [];

    /// <summary>Limits of this run; the pool's run limits when null.</summary>
    public ResourceLimits? Limits { get; init; }

    /// <summary>Bytes fed to stdin.</summary>
    public ReadOnlyMemory<byte> Stdin { get; init; }
}
