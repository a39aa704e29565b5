using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Crucible.Agent.Repository.Map;

/// <summary>C# definitions and references from Roslyn's syntax trees (syntax only: no compilation, no references needed).</summary>
public sealed class CSharpSymbolParser : ISymbolParser
{
    public string Language => "csharp";
    public string Version => "roslyn-syntax-1";

    public Task<IReadOnlyList<FileSymbols>> ParseAsync(IReadOnlyList<SourceFile> files, CancellationToken cancellationToken)
    {
        var result = new FileSymbols[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => result[i] = Parse(files[i].Text, cancellationToken));
        return Task.FromResult<IReadOnlyList<FileSymbols>>(result);
    }

    /// <summary>The first syntax error of <paramref name="text"/>, or null.</summary>
    public static string? FirstSyntaxError(string text)
    {
        var tree = CSharpSyntaxTree.ParseText(text);
        var error = tree.GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
        return error is null ? null : $"line {error.Location.GetLineSpan().StartLinePosition.Line + 1}: {error.GetMessage()}";
    }

    private static FileSymbols Parse(string text, CancellationToken ct)
    {
        var tree = CSharpSyntaxTree.ParseText(text, cancellationToken: ct);
        var root = tree.GetCompilationUnitRoot(ct);
        var defs = new List<SymbolDefinition>();
        foreach (var member in root.DescendantNodes().OfType<MemberDeclarationSyntax>())
        {
            var (name, kind) = member switch
            {
                BaseTypeDeclarationSyntax t => (t.Identifier.Text, "class"),
                MethodDeclarationSyntax m => (m.Identifier.Text, "method"),
                ConstructorDeclarationSyntax c => (c.Identifier.Text, "method"),
                PropertyDeclarationSyntax p => (p.Identifier.Text, "method"),
                DelegateDeclarationSyntax d => (d.Identifier.Text, "class"),
                _ => ("", ""),
            };
            if (name.Length == 0) continue;
            var span = member.GetLocation().GetLineSpan();
            var first = span.StartLinePosition.Line + 1;
            var headerEnd = HeaderEnd(member, tree) ?? first;
            defs.Add(new SymbolDefinition
            {
                Name = name, Kind = kind, QualifiedName = Qualified(member, name), Line = first,
                DefLine = first + member.AttributeLists.Sum(a => a.GetLocation().GetLineSpan().EndLinePosition.Line - a.GetLocation().GetLineSpan().StartLinePosition.Line + 1),
                EndLine = span.EndLinePosition.Line + 1, HeaderEndLine = Math.Max(first, headerEnd),
            });
        }
        var refs = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in root.DescendantNodes().OfType<IdentifierNameSyntax>())
            refs[id.Identifier.Text] = refs.GetValueOrDefault(id.Identifier.Text) + 1;
        var error = tree.GetDiagnostics(ct).FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
        return new FileSymbols
        {
            Definitions = defs, References = refs,
            Imports = root.Usings.Select(u => u.Name?.ToString() ?? "").Where(n => n.Length > 0).ToArray(),
            SyntaxError = error is null ? null : $"line {error.Location.GetLineSpan().StartLinePosition.Line + 1}: {error.GetMessage()}",
        };
    }

    /// <summary>Last line of the signature: the line before the body's opening brace (or the arrow's line).</summary>
    private static int? HeaderEnd(MemberDeclarationSyntax member, SyntaxTree tree)
    {
        SyntaxToken? open = member switch
        {
            BaseTypeDeclarationSyntax t => t.OpenBraceToken,
            BaseMethodDeclarationSyntax m when m.Body is not null => m.Body.OpenBraceToken,
            BaseMethodDeclarationSyntax m when m.ExpressionBody is not null => m.ExpressionBody.ArrowToken,
            PropertyDeclarationSyntax p when p.AccessorList is not null => p.AccessorList.OpenBraceToken,
            _ => null,
        };
        if (open is not { } token || token.IsMissing) return null;
        var line = tree.GetLineSpan(token.Span).StartLinePosition.Line + 1;
        var start = tree.GetLineSpan(member.Span).StartLinePosition.Line + 1;
        // A brace on its own line ends the header on the line before; `void F() {` keeps it on the signature line.
        var braceAlone = token.LeadingTrivia.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) || token.GetPreviousToken().TrailingTrivia.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        return braceAlone && line > start ? line - 1 : line;
    }

    private static string Qualified(SyntaxNode member, string name)
    {
        var parts = new List<string> { name };
        for (var p = member.Parent; p is not null; p = p.Parent)
            if (p is BaseTypeDeclarationSyntax t) parts.Add(t.Identifier.Text);
        parts.Reverse();
        return string.Join('.', parts);
    }
}
