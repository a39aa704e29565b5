using System.Text.Json.Serialization;

namespace Crucible.Client;

/// <summary>
/// Body of <c>POST /v1/rewards</c>: a batch of rollouts to score. <see cref="Scoring"/> is <c>binary</c> (1 when every
/// selected test passes, the default) or <c>fraction</c> (share of selected tests passed).
/// </summary>
public sealed record RewardsRequest
{
    public const string Binary = "binary";
    public const string Fraction = "fraction";

    [JsonPropertyName("items")] public List<RewardItem>? Items { get; init; }
    [JsonPropertyName("scoring")] public string Scoring { get; init; } = Binary;
    /// <summary>Which tests count; null: the data source's rule (docs/rewards.md), else all.</summary>
    [JsonPropertyName("tests")] public TestSelection? Tests { get; init; }

    /// <summary>Language of the code when neither the item's extra_info nor the fence names one (default python).</summary>
    [JsonPropertyName("language")] public string? Language { get; init; }

    /// <summary>Overrides each problem's CPU seconds per test.</summary>
    [JsonPropertyName("cpu_time_limit_s")] public double? CpuTimeLimitSeconds { get; init; }

    /// <summary>
    /// How outputs compare for every item, overriding the data source's rule: a preset (<c>{"preset": "livecodebench"}</c>)
    /// and/or explicit fields. Null: each item's data source decides (docs/rewards.md), else the judge's default.
    /// </summary>
    [JsonPropertyName("comparison")] public ComparisonSpec? Comparison { get; init; }

    /// <summary>
    /// True (the default): each item's <c>data_source</c> chooses comparison, time per test and test selection as
    /// its trainer's reward code does (the table in docs/rewards.md); false: the judge's defaults for every item.
    /// </summary>
    [JsonPropertyName("data_source_rules")] public bool DataSourceRules { get; init; } = true;

    /// <summary>When true (the default) a response without a fenced code block scores 0 as NoCode; when false the whole response is taken as code.</summary>
    [JsonPropertyName("require_code_fence")] public bool RequireCodeFence { get; init; } = true;
}
