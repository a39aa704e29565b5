namespace Crucible.Agent.Repository.Map;

/// <summary>A real parser for one language (never regular expressions): definitions and references of many files per call.</summary>
public interface ISymbolParser
{
    /// <summary>The language name used in <see cref="SourceFile.Language"/>, e.g. <c>python</c>.</summary>
    string Language { get; }

    /// <summary>Changes whenever the output format or the parser changes, so cached results of an older version are not reused.</summary>
    string Version { get; }

    /// <summary>Parses <paramref name="files"/> (all of this parser's language); the result is in the same order.</summary>
    Task<IReadOnlyList<FileSymbols>> ParseAsync(IReadOnlyList<SourceFile> files, CancellationToken cancellationToken);
}
