namespace Crucible.Agent.Repository.Map;

/// <summary>One file of the repository as the map sees it: relative path (forward slashes), language, text and content hash.</summary>
public sealed record SourceFile(string Path, string Language, string Text, string Hash)
{
    private string[]? _lines;

    /// <summary>The text split into lines (no terminators), computed once.</summary>
    public string[] Lines => _lines ??= Text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
}
