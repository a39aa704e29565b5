using System.Text.Json.Serialization;
using Crucible.Judge;

namespace Crucible.Client;

/// <summary>
/// Wire form of <see cref="ComparisonOptions"/>: <c>preset</c> names one of the judge's presets (default, exact,
/// livecodebench, evalplus, apps); <c>mode</c> is exact, lines or tokens (the default); fields given change the preset.
/// </summary>
public sealed record ComparisonSpec
{
    [JsonPropertyName("preset")] public string? Preset { get; init; }
    [JsonPropertyName("mode")] public string? Mode { get; init; }
    [JsonPropertyName("abs_tol")] public double? AbsoluteTolerance { get; init; }
    [JsonPropertyName("rel_tol")] public double? RelativeTolerance { get; init; }
    [JsonPropertyName("ignore_case")] public bool IgnoreCase { get; init; }

    /// <summary>Compare numeric tokens by value (1.0 equals 1).</summary>
    [JsonPropertyName("numbers_by_value")] public bool NumbersByValue { get; init; }

    /// <summary>How returned tuples match expected lists: interchangeable (default), top_level_only, strict.</summary>
    [JsonPropertyName("tuples")] public string? Tuples { get; init; }

    public static ComparisonSpec From(ComparisonOptions o) => new()
    {
        Mode = o.Mode.ToString().ToLowerInvariant(),
        AbsoluteTolerance = o.AbsoluteTolerance,
        RelativeTolerance = o.RelativeTolerance,
        IgnoreCase = o.IgnoreCase,
        NumbersByValue = o.NumbersByValue,
        Tuples = o.Tuples switch { TupleMatching.TopLevelOnly => "top_level_only", TupleMatching.Strict => "strict", _ => "interchangeable" },
    };

    /// <summary>Converts to the judge's options; <paramref name="path"/> prefixes field names in errors.</summary>
    public ComparisonOptions ToOptions(string path)
    {
        var preset = string.IsNullOrWhiteSpace(Preset) ? ComparisonOptions.Default
            : GradingRules.Preset(Preset) ?? throw new InvalidFieldException(path + ".preset", $"unknown comparison preset '{Preset}'; use {GradingRules.PresetNames}.");
        var mode = Mode?.Trim().ToLowerInvariant() switch
        {
            null or "" => preset.Mode,
            "tokens" => ComparisonMode.Tokens,
            "lines" => ComparisonMode.Lines,
            "exact" => ComparisonMode.Exact,
            _ => throw new InvalidFieldException(path + ".mode", $"unknown comparison mode '{Mode}'; use exact, lines or tokens."),
        };
        if (AbsoluteTolerance is { } abs && !(abs >= 0 && double.IsFinite(abs))) throw new InvalidFieldException(path + ".abs_tol", "abs_tol must be a finite number, zero or positive.");
        if (RelativeTolerance is { } rel && !(rel >= 0 && double.IsFinite(rel))) throw new InvalidFieldException(path + ".rel_tol", "rel_tol must be a finite number, zero or positive.");
        var tuples = Tuples?.Trim().ToLowerInvariant() switch
        {
            null or "" => preset.Tuples,
            "interchangeable" => TupleMatching.Interchangeable,
            "top_level_only" => TupleMatching.TopLevelOnly,
            "strict" => TupleMatching.Strict,
            _ => throw new InvalidFieldException(path + ".tuples", $"unknown tuple matching '{Tuples}'; use interchangeable, top_level_only or strict."),
        };
        return preset with
        {
            Mode = mode, AbsoluteTolerance = AbsoluteTolerance ?? preset.AbsoluteTolerance, RelativeTolerance = RelativeTolerance ?? preset.RelativeTolerance,
            IgnoreCase = IgnoreCase || preset.IgnoreCase, NumbersByValue = NumbersByValue || preset.NumbersByValue, Tuples = tuples,
        };
    }
}
