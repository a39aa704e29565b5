using System.Text.Json;
using System.Text.Json.Serialization;

namespace Crucible.Client;

/// <summary>
/// Body of <c>POST /v1/swe/grade</c>: one SWE-bench instance and one prediction. The server grades it in its sandbox,
/// in a clone from its <c>--repos</c> directory, and answers the official report.json object for the instance.
/// </summary>
public sealed record SweGradeRequest
{
    /// <summary>The instance as SWE-bench writes it (repo, instance_id, base_commit, test_patch, FAIL_TO_PASS, PASS_TO_PASS, …).</summary>
    [JsonPropertyName("instance")] public JsonElement? Instance { get; init; }

    /// <summary>The patch to grade; null grades "no answer" like an empty patch.</summary>
    [JsonPropertyName("model_patch")] public string? ModelPatch { get; init; }

    [JsonPropertyName("model_name_or_path")] public string? ModelName { get; init; }
}
