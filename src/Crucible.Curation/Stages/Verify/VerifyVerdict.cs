using System.Text.Json.Serialization;

namespace Crucible.Curation;

/// <summary>What verification decided about one problem; stored as JSON in the resume store and re-applied on rerun.</summary>
internal sealed record VerifyVerdict
{
    [JsonPropertyName("kept")] public bool Kept { get; init; }
    [JsonPropertyName("reason")] public string Reason { get; init; } = "";
    [JsonPropertyName("detail")] public string? Detail { get; init; }

    /// <summary>Test index → why it was dropped.</summary>
    [JsonPropertyName("dropped")] public Dictionary<int, string> DroppedTests { get; init; } = [];

    /// <summary>Test index → the reference's output that replaces the expected one.</summary>
    [JsonPropertyName("repaired")] public Dictionary<int, string> RepairedTests { get; init; } = [];

    [JsonPropertyName("reference")] public int ReferenceIndex { get; init; }
    [JsonPropertyName("reference_cpu_ms")] public double? ReferenceCpuMs { get; init; }
    [JsonPropertyName("time_limit_ms")] public double? TimeLimitMs { get; init; }

    /// <summary>Not stored: the infrastructure failed, so the problem is retried next run.</summary>
    [JsonIgnore] public bool Infrastructure { get; init; }
}
