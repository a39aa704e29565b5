namespace Crucible.Sandbox;

/// <summary>
/// A language the sandbox knows, and whether its toolchain is on this machine.
/// Paths in the commands are inside the sandbox: the program's directory is always <c>/box</c>.
/// </summary>
public sealed class Language
{
    internal Language(LanguageDefinition definition, string? version, string? unavailableReason, IReadOnlyList<string> extraReadOnlyPaths)
    {
        Definition = definition;
        Version = version;
        UnavailableReason = unavailableReason;
        ExtraReadOnlyPaths = extraReadOnlyPaths;
    }

    internal LanguageDefinition Definition { get; }

    /// <summary>Canonical name, e.g. <c>python</c>, <c>cpp</c>.</summary>
    public string Id => Definition.Id;

    public string DisplayName => Definition.DisplayName;

    /// <summary>Other accepted spellings, including SandboxFusion's.</summary>
    public IReadOnlyList<string> Aliases => Definition.Aliases;

    public bool IsCompiled => Definition.Compile is not null || Definition.CompilesWithRoslyn;

    /// <summary>Toolchain version as the toolchain prints it; null when absent.</summary>
    public string? Version { get; }

    public bool Available => UnavailableReason is null;

    /// <summary>Why the language cannot be used here, and how to fix it.</summary>
    public string? UnavailableReason { get; }

    /// <summary>Toolchain directories outside /usr bound read-only at their own path (e.g. a rustup toolchain).</summary>
    internal IReadOnlyList<string> ExtraReadOnlyPaths { get; }

    /// <summary>The command that runs a program file named <paramref name="fileName"/> inside the sandbox (for compiled languages, the built artifact).</summary>
    public IReadOnlyList<string> RunCommand(string fileName) => Definition.Run(fileName);

    public override string ToString() => Available ? $"{Id} ({Version})" : $"{Id} (unavailable: {UnavailableReason})";
}
