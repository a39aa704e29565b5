namespace Crucible.Agent.Repository.Map;

/// <summary>What a parser found in one file: its definitions, the identifiers it references (with counts) and its imports.</summary>
public sealed record FileSymbols
{
    public IReadOnlyList<SymbolDefinition> Definitions { get; init; } = [];
    public IReadOnlyDictionary<string, int> References { get; init; } = new Dictionary<string, int>();
    public IReadOnlyList<string> Imports { get; init; } = [];

    /// <summary>Set when the file does not parse; definitions and references are then empty.</summary>
    public string? SyntaxError { get; init; }

    public static FileSymbols Empty { get; } = new();
}
