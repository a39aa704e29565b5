using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Crucible.Bench;

namespace Crucible.Curation;

/// <summary>
/// Reads trainer rollouts from jsonl, JSON or parquet (gzip or not). Field names are matched from the dumps verl and
/// rllm write: prompt id <c>uid|prompt_id|problem_id|task_id|idx|index|extra_info.index</c> (else the prompt text),
/// prompt <c>input|prompt|question|problem</c>, response <c>output|response|completion</c> or a list
/// <c>responses</c>, reward <c>score|reward|acc|correct</c> or a list <c>scores|rewards</c>, ground truth
/// <c>gts|ground_truth|reward_model.ground_truth</c>. Rows without a response are reported, not fatal.
/// </summary>
public static class RolloutReader
{
    public static RolloutFile Read(string path)
    {
        var rollouts = new List<Rollout>();
        var problems = new List<string>();
        foreach (var (row, at) in RecordFile.Read(path, (location, reason) => problems.Add($"{location}: {reason}")))
        {
            var prompt = PromptText(row);
            var id = JsonFields.Text(row, "uid", "prompt_id", "problem_id", "task_id", "idx", "index")
                     ?? (JsonFields.Get(row, "extra_info") is { ValueKind: JsonValueKind.Object } ei ? JsonFields.Text(ei, "index", "id", "problem_id") : null)
                     ?? (prompt is null ? null : "prompt:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prompt)))[..12]);
            var truth = GroundTruth(row);
            var error = JsonFields.Text(row, "error", "infra_error", "exception", "reward_error");
            var step = JsonFields.Number(row, "step") is { } s ? (long?)s : null;
            var source = JsonFields.Text(row, "data_source");
            if (JsonFields.Get(row, "responses") is { ValueKind: JsonValueKind.Array } many)
            {
                var scores = JsonFields.Get(row, "scores") ?? JsonFields.Get(row, "rewards");
                var k = 0;
                foreach (var r in many.EnumerateArray())
                {
                    var reward = scores is { ValueKind: JsonValueKind.Array } sc && k < sc.GetArrayLength() ? Number(sc[k]) : null;
                    rollouts.Add(Make(id ?? $"row:{at}", prompt, r.ValueKind == JsonValueKind.String ? r.GetString()! : r.GetRawText(), reward, null, step, source, truth, error, $"{at} responses[{k}]"));
                    k++;
                }
                continue;
            }
            var response = JsonFields.Text(row, "output", "response", "completion", "solution");
            if (response is null)
            {
                problems.Add($"{at}: no response field (output, response, completion or responses; fields present: {JsonFields.FieldList(row)})");
                continue;
            }
            var length = JsonFields.Number(row, "response_length") ?? JsonFields.Number(row, "response_tokens");
            rollouts.Add(Make(id ?? $"row:{at}", prompt, response, RewardOf(row), length, step, source, truth, error, at));
        }
        return new RolloutFile(rollouts, problems);
    }

    private static Rollout Make(string id, string? prompt, string response, double? reward, double? length, long? step, string? source, string? truth, string? error, string at) => new()
    {
        PromptId = id, Prompt = prompt, Response = response, Reward = reward, Length = length ?? response.Length, Step = step, DataSource = source,
        GroundTruth = truth, Error = string.IsNullOrWhiteSpace(error) ? null : error, Location = at,
    };

    private static double? RewardOf(JsonElement row)
    {
        foreach (var name in new[] { "score", "reward", "acc", "correct" })
            if (JsonFields.Get(row, name) is { } v && Number(v) is { } d) return d;
        return null;
    }

    private static double? Number(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Number => v.GetDouble(),
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        JsonValueKind.String when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
        _ => null,
    };

    private static string? PromptText(JsonElement row)
    {
        foreach (var name in new[] { "input", "prompt", "question", "problem" })
        {
            if (JsonFields.Get(row, name) is not { } p) continue;
            if (p.ValueKind == JsonValueKind.String) return p.GetString();
            if (p.ValueKind == JsonValueKind.Array)
                return string.Join("\n", p.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.Object).Select(m => JsonFields.Text(m, "content") ?? ""));
        }
        return null;
    }

    private static string? GroundTruth(JsonElement row)
    {
        if ((JsonFields.Get(row, "gts") ?? JsonFields.Get(row, "ground_truth")) is { } g) return g.ValueKind == JsonValueKind.String ? g.GetString() : g.GetRawText();
        if (JsonFields.Get(row, "reward_model") is { ValueKind: JsonValueKind.Object } rm && JsonFields.Get(rm, "ground_truth") is { } t)
            return t.ValueKind == JsonValueKind.String ? t.GetString() : t.GetRawText();
        return null;
    }
}
