using System.Text;

namespace Crucible.Agent.Repository.Map;

/// <summary>
/// A file as its signatures: class headers, function and method signatures (decorators included) with bodies elided
/// as <c>...</c>, module-level names, and <c>⋮</c> where lines are left out. Optionally numbered, for line localisation.
/// </summary>
public static class SkeletonRenderer
{
    public static string Render(SourceFile file, FileSymbols symbols, bool lineNumbers = false)
    {
        var sb = new StringBuilder();
        sb.Append(file.Path).Append('\n');
        if (symbols.SyntaxError is not null) sb.Append("  (does not parse: ").Append(symbols.SyntaxError).Append(")\n");
        var lines = file.Lines;
        var last = 0;
        foreach (var d in symbols.Definitions.OrderBy(d => d.Line))
        {
            var from = Math.Max(d.Line, last + 1);
            var to = d.Kind == "variable" ? d.Line : Math.Min(d.HeaderEndLine, lines.Length);
            if (from > to || from > lines.Length) continue;
            if (from > last + 1) sb.Append("⋮\n");
            for (var l = from; l <= to; l++) AppendLine(sb, lines, l, lineNumbers);
            last = to;
            if (d.Kind is "function" or "method" && d.EndLine > to)
            {
                var indent = BodyIndent(lines, d, to);
                sb.Append(lineNumbers ? "      " : "").Append(indent).Append("...\n");
                last = d.EndLine;
            }
        }
        if (last < lines.Length && symbols.Definitions.Count > 0) sb.Append("⋮\n");
        return sb.ToString();
    }

    private static void AppendLine(StringBuilder sb, string[] lines, int line, bool numbered)
    {
        if (numbered) sb.Append(line.ToString().PadLeft(5)).Append(' ');
        sb.Append(lines[line - 1]).Append('\n');
    }

    private static string BodyIndent(string[] lines, SymbolDefinition d, int headerEnd)
    {
        for (var l = headerEnd + 1; l <= Math.Min(d.EndLine, lines.Length); l++)
        {
            var text = lines[l - 1];
            if (text.Trim().Length > 0) return text[..(text.Length - text.TrimStart().Length)];
        }
        var def = lines[d.DefLine - 1];
        return def[..(def.Length - def.TrimStart().Length)] + "    ";
    }
}
