using System.Text.Json;
using Crucible.Judge;

namespace Crucible.Bench;

/// <summary>
/// verl RL rows (parquet or jsonl): data_source, prompt (chat messages [{role, content}]), ability,
/// reward_model {style, ground_truth}, extra_info {index, split, ...}. For code, ground_truth is a test spec
/// (usually a JSON string of {inputs, outputs, fn_name} or [{input, output, testtype}]).
/// </summary>
internal static class VerlFormat
{
    public static List<Problem> Load(IEnumerable<DatasetRow> rows, LoadContext context)
    {
        var problems = new List<Problem>();
        var index = context.FirstRowIndex;
        foreach (var (row, at) in rows)
        {
            var source = JsonFields.Text(row, "data_source") ?? "verl";
            var extraInfo = JsonFields.Get(row, "extra_info") is { ValueKind: JsonValueKind.Object } ei ? ei : default;
            var rowIndex = index++;
            var id = (extraInfo.ValueKind == JsonValueKind.Object ? JsonFields.Text(extraInfo, "id", "problem_id", "index") : null) is { } eid
                ? $"{source}/{eid}" : $"{source}/{rowIndex}";
            if (JsonFields.Get(row, "reward_model") is not { ValueKind: JsonValueKind.Object } rm)
                throw new DatasetException($"{at}: 'reward_model' must be an object with 'ground_truth'.");
            var spec = JsonFields.Embedded(rm, "ground_truth", at + " reward_model")
                ?? throw new DatasetException($"{at}: reward_model.ground_truth is missing.");
            if (spec.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
                throw new DatasetException($"{at}: reward_model.ground_truth is not a code test spec ({spec.ValueKind}); Crucible evaluates code rows ({{inputs, outputs, fn_name}} or [{{input, output}}]).");
            var tests = GroundTruthTests.Parse(spec, null, isPublic: false, "test", at + " reward_model.ground_truth");
            if (tests.Count == 0)
            {
                context.Warnings.Add($"{at}: {id} has no tests; skipped.");
                continue;
            }
            var extra = new Dictionary<string, string>();
            if (JsonFields.Text(row, "ability") is { } ability) extra["ability"] = ability;
            if (extraInfo.ValueKind == JsonValueKind.Object && JsonFields.Text(extraInfo, "split") is { } split) extra["split"] = split;
            problems.Add(new Problem
            {
                Id = id,
                Statement = Statement(row),
                EntryPoint = tests.OfType<FunctionCallTest>().FirstOrDefault()?.FunctionName,
                Language = "python",
                Tests = tests,
                Comparison = GroundTruthTests.ComparisonFor(spec, source),
                Metadata = new ProblemMetadata
                {
                    Source = source,
                    Difficulty = extraInfo.ValueKind == JsonValueKind.Object ? JsonFields.Text(extraInfo, "difficulty")?.ToLowerInvariant() : null,
                    Extra = extra,
                },
            });
        }
        return problems;
    }

    /// <summary>The last user message of the chat prompt (the problem as the policy saw it).</summary>
    private static string Statement(JsonElement row)
    {
        if (JsonFields.Get(row, "prompt") is not { } p) return "";
        if (p.ValueKind == JsonValueKind.String) return p.GetString()!;
        if (p.ValueKind != JsonValueKind.Array) return "";
        var messages = p.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.Object).ToList();
        var user = messages.LastOrDefault(m => JsonFields.Text(m, "role") == "user");
        return JsonFields.Text(user.ValueKind == JsonValueKind.Object ? user : messages.LastOrDefault(), "content") ?? "";
    }
}
