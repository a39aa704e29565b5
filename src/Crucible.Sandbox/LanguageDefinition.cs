using System.Text.RegularExpressions;

namespace Crucible.Sandbox;

/// <summary>How one language is compiled and run inside the sandbox. Internal: the registry is the public face.</summary>
internal sealed partial record LanguageDefinition
{
    public required string Id { get; init; }
    public required string DisplayName { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Host command whose first line of output is the toolchain version.</summary>
    public required string[] VersionCommand { get; init; }

    /// <summary>
    /// The file whose real path, size and modification time key the cached probe, when it is not
    /// <see cref="VersionCommand"/>'s own binary (a dispatching proxy such as rustup's).
    /// </summary>
    public Func<string>? ProbeIdentity { get; init; }

    /// <summary>Source file name chosen from the source (Java needs the public class name).</summary>
    public Func<string, string> SourceFileName { get; init; } = _ => "main";

    /// <summary>Compiler argv inside the sandbox, given the source file name; null for interpreted languages.</summary>
    public Func<string, string[]>? Compile { get; init; }

    /// <summary>True for C#: compiled by Roslyn run as a child program in the sandbox (CSharpCompileStep).</summary>
    public bool CompilesWithRoslyn { get; init; }

    /// <summary>Program argv inside the sandbox, given the source file name.</summary>
    public required Func<string, string[]> Run { get; init; }

    /// <summary>Environment for compile and run, beyond the sandbox's base environment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Finds toolchain directories outside /usr that must be bound read-only (rustup).</summary>
    public Func<IReadOnlyList<string>>? FindExtraPaths { get; init; }

    public static string JavaSourceFileName(string source)
    {
        var m = PublicClass().Match(source);
        return (m.Success ? m.Groups[1].Value : "Main") + ".java";
    }

    public static string JavaMainClass(string fileName) => Path.GetFileNameWithoutExtension(fileName);

    [GeneratedRegex(@"public\s+(?:final\s+|abstract\s+)*class\s+([A-Za-z_$][A-Za-z0-9_$]*)")]
    private static partial Regex PublicClass();
}
