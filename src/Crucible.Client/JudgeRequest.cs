using System.Text.Json;
using System.Text.Json.Serialization;

namespace Crucible.Client;

/// <summary>
/// Body of <c>POST /v1/judge</c>: one submission judged against many tests, compiled once. The tests come either as
/// a <see cref="Problem"/> (any test kind) or as <see cref="GroundTruth"/> in one of the dataset shapes the judge
/// parses (<c>{inputs, outputs, fn_name}</c>, a list of <c>{input, output, testtype}</c>, assertion strings).
/// </summary>
public sealed record JudgeRequest
{
    [JsonPropertyName("language")] public string? Language { get; init; }
    [JsonPropertyName("code")] public string? Code { get; init; }
    [JsonPropertyName("problem")] public ProblemSpec? Problem { get; init; }
    [JsonPropertyName("ground_truth")] public JsonElement? GroundTruth { get; init; }

    /// <summary>Function the ground truth's tests call, when the ground truth does not name it (HumanEval's entry_point).</summary>
    [JsonPropertyName("entry_point")] public string? EntryPoint { get; init; }

    /// <summary>Dataset the ground truth comes from (livecodebench, taco, …): its grading rule applies (docs/rewards.md).</summary>
    [JsonPropertyName("data_source")] public string? DataSource { get; init; }

    /// <summary>Stop at the first test that does not pass; later tests are reported Skipped.</summary>
    [JsonPropertyName("stop_at_first_failure")] public bool StopAtFirstFailure { get; init; }

    /// <summary>Overrides the problem's CPU seconds per test.</summary>
    [JsonPropertyName("cpu_time_limit_s")] public double? CpuTimeLimitSeconds { get; init; }

    /// <summary>Run function-call and assertion tests in one process per kind (default true); false: one process per test.</summary>
    [JsonPropertyName("batch")] public bool? Batch { get; init; }

    /// <summary>Python run before the solution for function-call tests; null for the judge's standard imports, "" for none.</summary>
    [JsonPropertyName("python_prelude")] public string? PythonPrelude { get; init; }
}
