using System.Text.Json.Serialization;

namespace Crucible.Client;

/// <summary>The score of one reward item, or why there is none (<see cref="Error"/>).</summary>
public sealed record RewardResult
{
    [JsonPropertyName("index")] public int Index { get; init; }

    /// <summary>One of <see cref="RewardStatus"/>'s values.</summary>
    [JsonPropertyName("status")] public string Status { get; init; } = RewardStatus.Scored;

    /// <summary>The reward; null unless <see cref="Status"/> is <c>scored</c> — an infrastructure error is never a 0.</summary>
    [JsonPropertyName("score")] public double? Score { get; init; }

    /// <summary>Judge outcome (Passed, WrongAnswer, CompileError, …, SandboxError) or NoCode when no code was found.</summary>
    [JsonPropertyName("outcome")] public string? Outcome { get; init; }

    [JsonPropertyName("passed_tests")] public int PassedTests { get; init; }

    /// <summary>Tests the score is computed on, after the selection policy.</summary>
    [JsonPropertyName("total_tests")] public int TotalTests { get; init; }

    /// <summary>Tests the ground truth holds before selection.</summary>
    [JsonPropertyName("available_tests")] public int AvailableTests { get; init; }

    [JsonPropertyName("language")] public string? Language { get; init; }

    /// <summary>The grading rule the item's data_source selected (docs/rewards.md), or null for the judge's defaults.</summary>
    [JsonPropertyName("grading")] public string? Grading { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("elapsed_ms")] public double ElapsedMs { get; init; }
}
