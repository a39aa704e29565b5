namespace Crucible.Agent.Repository.Map;

/// <summary>
/// One definition found by a language's parser: a class, function, method or module-level variable, with 1-based
/// line numbers. <see cref="Line"/> includes decorators/attributes; <see cref="HeaderEndLine"/> is the last line of the
/// signature, so a skeleton prints <c>Line..HeaderEndLine</c> and elides the body.
/// </summary>
public sealed record SymbolDefinition
{
    public required string Name { get; init; }

    /// <summary><c>class</c>, <c>function</c>, <c>method</c> or <c>variable</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Dotted name inside the file, e.g. <c>Parser.parse_line</c>.</summary>
    public required string QualifiedName { get; init; }

    public int Line { get; init; }
    public int DefLine { get; init; }
    public int EndLine { get; init; }
    public int HeaderEndLine { get; init; }

    public bool IsType => Kind == "class";
}
