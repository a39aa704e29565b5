using System.Text.Json;
using System.Text.Json.Nodes;

namespace Crucible.Curation;

/// <summary>
/// Writes problems as an rllm/DeepCoder JSON array: <c>problem</c>, <c>tests</c> (the LiveCodeBench/rllm list
/// [{input, output, testtype, metadata?}]), <c>solutions</c>, <c>starter_code</c>, <c>metadata</c> {func_name},
/// <c>data_source</c>, <c>difficulty</c>, plus the curation facts.
/// </summary>
public static class DeepCoderJsonWriter
{
    public static async Task<IReadOnlyList<(string Key, string Why)>> WriteAsync(string path, IReadOnlyList<CurationItem> items, CancellationToken cancellationToken = default)
    {
        var rows = new JsonArray();
        var skipped = new List<(string, string)>();
        foreach (var item in items)
        {
            var p = item.Problem;
            var tests = RewardGroundTruth.TestList(p, out var why);
            if (tests is null)
            {
                skipped.Add((item.Key, why!));
                continue;
            }
            var row = new JsonObject
            {
                ["id"] = item.Key,
                ["problem"] = p.Statement,
                ["tests"] = tests,
                ["solutions"] = new JsonArray(p.References.Select(r => (JsonNode?)r.Code).ToArray()),
                ["data_source"] = p.Metadata.Source ?? item.Dataset,
            };
            if ((p.Prompt ?? p.Metadata.Extra.GetValueOrDefault("starter_code")) is { } starter) row["starter_code"] = starter;
            if (p.EntryPoint is not null) row["metadata"] = new JsonObject { ["func_name"] = p.EntryPoint };
            if (p.Metadata.Difficulty is not null) row["difficulty"] = p.Metadata.Difficulty;
            if (p.Metadata.ContestDate is { } d) row["contest_date"] = d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            if (item.Number("pass_rate") is { } rate) row["pass_rate"] = rate;
            rows.Add(row);
        }
        await File.WriteAllTextAsync(path, rows.ToJsonString(new JsonSerializerOptions { WriteIndented = false }), cancellationToken).ConfigureAwait(false);
        return skipped;
    }
}
