using System.Text.Json;
using Crucible.Judge;

namespace Crucible.Bench;

/// <summary>
/// Dataset test specs through the judge's <see cref="GroundTruth"/> parser (the shapes APPS, TACO, LiveCodeBench,
/// DeepCoder and verl share), with report names, the public/private flag, and errors that name the record.
/// </summary>
internal static class GroundTruthTests
{
    public static List<TestCase> Parse(JsonElement spec, string? entryPoint, bool isPublic, string namePrefix, string location)
    {
        if (IsEmpty(spec)) return [];
        IReadOnlyList<TestCase> tests;
        try
        {
            tests = GroundTruth.Parse(spec.GetRawText(), entryPoint);
        }
        catch (FormatException e)
        {
            throw new DatasetException($"{location}: {e.Message}", e);
        }
        return tests.Select((t, i) => t with { IsPublic = isPublic, Name = $"{namePrefix}[{i}]" }).ToList();
    }

    /// <summary>No tests at all (some APPS/TACO rows): the caller skips the problem with a warning rather than failing the load.</summary>
    private static bool IsEmpty(JsonElement spec) => spec.ValueKind switch
    {
        JsonValueKind.Array => spec.GetArrayLength() == 0,
        JsonValueKind.Object => spec.TryGetProperty("inputs", out var i) && i.ValueKind == JsonValueKind.Array && i.GetArrayLength() == 0,
        JsonValueKind.String => string.IsNullOrWhiteSpace(spec.GetString()),
        _ => false,
    };

    /// <summary>
    /// The row's data source grades it as /v1/rewards would (<see cref="GradingRules"/>, docs/rewards.md); without a
    /// known source, LiveCodeBench-shaped lists ([{input, output, testtype}]) are graded LiveCodeBench's way and
    /// everything else APPS's way.
    /// </summary>
    public static ComparisonOptions ComparisonFor(JsonElement spec, string? dataSource = null) =>
        GradingRules.Find(dataSource)?.Comparison ?? ShapeComparison(spec);

    private static ComparisonOptions ShapeComparison(JsonElement spec) =>
        spec.ValueKind == JsonValueKind.Array && spec.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.Object && JsonFields.Has(t, "testtype"))
            ? ComparisonOptions.LiveCodeBench
            : ComparisonOptions.Apps;
}
