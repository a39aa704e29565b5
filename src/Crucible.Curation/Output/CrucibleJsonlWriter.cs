namespace Crucible.Curation;

/// <summary>Writes problems as Crucible jsonl (every test kind is expressible), readable by <c>crucible eval</c>; ids are the curation keys (dataset:id), unique across inputs.</summary>
public static class CrucibleJsonlWriter
{
    public static async Task WriteAsync(string path, IReadOnlyList<CurationItem> items, CancellationToken cancellationToken = default)
    {
        await using var w = new StreamWriter(path);
        foreach (var item in items)
            await w.WriteLineAsync(ProblemJson.ToLine(item.Problem with { Id = item.Key }, item.Annotations).AsMemory(), cancellationToken).ConfigureAwait(false);
    }
}
