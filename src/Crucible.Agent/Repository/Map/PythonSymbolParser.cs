using System.Text.Json;
using System.Text.Json.Nodes;

namespace Crucible.Agent.Repository.Map;

/// <summary>Python definitions and references from Python's own <c>ast</c>, in a helper process, a batch of files per call.</summary>
public sealed class PythonSymbolParser : ISymbolParser
{
    /// <summary>Files per helper process: large enough to amortise the interpreter start, small enough to bound memory.</summary>
    public int BatchSize { get; init; } = 250;

    public string Language => "python";
    public string Version => "py-ast-2";

    public async Task<IReadOnlyList<FileSymbols>> ParseAsync(IReadOnlyList<SourceFile> files, CancellationToken cancellationToken)
    {
        // Batches run in parallel helper processes, one per core: parsing is CPU-bound and the helpers share nothing.
        using var slots = new SemaphoreSlim(Math.Max(1, Environment.ProcessorCount));
        var batches = files.Chunk(BatchSize).Select(async batch =>
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var request = PythonHelper.ToArray(batch.Select(f => new JsonObject { ["path"] = f.Path, ["text"] = f.Text }));
                var answer = await PythonHelper.RunAsync("parse", request, cancellationToken).ConfigureAwait(false);
                if (answer.Count != batch.Length) throw new InvalidOperationException($"the Python symbol helper answered {answer.Count} files for {batch.Length}");
                return answer.Select(ToSymbols).ToArray();
            }
            finally
            {
                slots.Release();
            }
        }).ToArray();
        return (await Task.WhenAll(batches).ConfigureAwait(false)).SelectMany(b => b).ToArray();
    }

    private static FileSymbols ToSymbols(JsonNode? node)
    {
        if (node is null) return FileSymbols.Empty;
        if (node["error"] is JsonObject error)
            return new FileSymbols { SyntaxError = $"line {error["line"]}: {error["message"]}" };
        return new FileSymbols
        {
            Definitions = node["defs"]?.Deserialize<SymbolDefinition[]>(PythonHelper.Json) ?? [],
            References = node["refs"]?.Deserialize<Dictionary<string, int>>() ?? [],
            Imports = node["imports"]?.Deserialize<string[]>() ?? [],
        };
    }
}
