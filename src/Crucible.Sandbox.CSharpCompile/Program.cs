using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Crucible.Sandbox.CSharpCompile;

/// <summary>
/// <c>Crucible.Sandbox.CSharpCompile SOURCE OUTDIR</c>: compiles one C# file with Roslyn into OUTDIR/main.dll and
/// its runtimeconfig. Runs inside the sandbox as the session's uid, so a source that makes Roslyn explode (constant
/// folding that doubles a string per line) meets the compile memory and CPU limits, not the server.
/// Exit 0: compiled (warnings on stdout); 1: compile errors on stdout; 2: bad arguments.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: Crucible.Sandbox.CSharpCompile SOURCE OUTDIR");
            return 2;
        }
        var source = File.ReadAllText(args[0]);
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: args[0]);
        var compilation = CSharpCompilation.Create("main", [tree], FrameworkReferences(),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, optimizationLevel: OptimizationLevel.Release,
                allowUnsafe: false, nullableContextOptions: NullableContextOptions.Disable)
                .WithUsings("System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Text"));
        using var pe = new MemoryStream();
        var emit = compilation.Emit(pe);
        var diagnostics = emit.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error || (!emit.Success && d.Severity == DiagnosticSeverity.Warning))
            .Select(d => d.ToString());
        Console.Out.Write(string.Join('\n', diagnostics));
        if (!emit.Success) return 1;
        File.WriteAllBytes(Path.Combine(args[1], "main.dll"), pe.ToArray());
        var v = Environment.Version;
        File.WriteAllText(Path.Combine(args[1], "main.runtimeconfig.json"),
            "{\"runtimeOptions\":{\"tfm\":\"net" + v.Major + "." + v.Minor + "\",\"framework\":{\"name\":\"Microsoft.NETCore.App\",\"version\":\"" + v.Major + "." + v.Minor + ".0\"}," +
            "\"configProperties\":{\"System.GC.Concurrent\":false,\"System.Globalization.Invariant\":true}}}");
        return 0;
    }

    /// <summary>The shared framework's own assemblies (no analyzers, no generators, nothing of the app).</summary>
    private static MetadataReference[] FrameworkReferences()
    {
        var tpa = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "";
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location);
        return tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p =>
            {
                var n = Path.GetFileName(p);
                return n.StartsWith("System.", StringComparison.Ordinal) || n is "mscorlib.dll" or "netstandard.dll" or "Microsoft.CSharp.dll" or "Microsoft.VisualBasic.Core.dll";
            })
            .Where(p => Path.GetDirectoryName(p) == framework)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray();
    }
}
