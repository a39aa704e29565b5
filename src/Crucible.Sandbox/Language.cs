namespace Crucible.Sandbox;

/// <summary>
/// A language the sandbox knows, and whether its toolchain is on this machine.
/// Paths in the commands are inside the sandbox: the program's directory is always <c>/box</c>.
/// </summary>
public sealed class Language
{
    private readonly Lazy<Probe> _probe;

    internal Language(LanguageDefinition definition, string? version, string? unavailableReason, IReadOnlyList<string> extraReadOnlyPaths)
    {
        Definition = definition;
        _probe = new Lazy<Probe>(new Probe(version, unavailableReason, extraReadOnlyPaths));
    }

    /// <summary>
    /// A language whose toolchain is asked (<paramref name="probe"/>) only when its version or availability is first
    /// needed: a process that runs Python does not start a JVM, rustc and the .NET CLI to learn their versions.
    /// </summary>
    internal Language(LanguageDefinition definition, Func<Language> probe)
    {
        Definition = definition;
        _probe = new Lazy<Probe>(() => probe()._probe.Value, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private sealed record Probe(string? Version, string? UnavailableReason, IReadOnlyList<string> ExtraReadOnlyPaths);

    internal LanguageDefinition Definition { get; }

    /// <summary>Canonical name, e.g. <c>python</c>, <c>cpp</c>.</summary>
    public string Id => Definition.Id;

    public string DisplayName => Definition.DisplayName;

    /// <summary>Other accepted spellings, including SandboxFusion's.</summary>
    public IReadOnlyList<string> Aliases => Definition.Aliases;

    public bool IsCompiled => Definition.Compile is not null || Definition.CompilesWithRoslyn;

    /// <summary>Toolchain version as the toolchain prints it; null when absent.</summary>
    public string? Version => _probe.Value.Version;

    public bool Available => UnavailableReason is null;

    /// <summary>Why the language cannot be used here, and how to fix it.</summary>
    public string? UnavailableReason => _probe.Value.UnavailableReason;

    /// <summary>Toolchain directories outside /usr bound read-only at their own path (e.g. a rustup toolchain).</summary>
    internal IReadOnlyList<string> ExtraReadOnlyPaths => _probe.Value.ExtraReadOnlyPaths;

    /// <summary>Whether the toolchain has been asked yet (tests; a listing of every language asks them all).</summary>
    internal bool Probed => _probe.IsValueCreated;

    /// <summary>
    /// Whether a sandbox should be prepared for this language: available once probed, before that installed (its
    /// binary is there). What every sandbox root binds and sets for the languages it may run is decided from this,
    /// so starting a zygote or runner does not probe every toolchain; a toolchain that is installed but fails its
    /// probe only costs a read-only bind of its directories.
    /// </summary>
    internal bool MayRun => Probed ? Available : File.Exists(Definition.VersionCommand[0]);

    /// <summary>The directories to bind for <see cref="MayRun"/> (found afresh when not probed yet).</summary>
    internal IReadOnlyList<string> PathsToBind => !MayRun ? [] : Probed ? ExtraReadOnlyPaths : Definition.FindExtraPaths?.Invoke() ?? [];

    /// <summary>The command that runs a program file named <paramref name="fileName"/> inside the sandbox (for compiled languages, the built artifact).</summary>
    public IReadOnlyList<string> RunCommand(string fileName) => Definition.Run(fileName);

    public override string ToString() => Available ? $"{Id} ({Version})" : $"{Id} (unavailable: {UnavailableReason})";
}
