using System.Text.Json.Nodes;
using Crucible.Repos.Grading;

namespace Crucible.Repos.Evaluation;

/// <summary>Counts over one run, with the id lists of the official run report plus Crucible's finer statuses.</summary>
public sealed record SweSummary
{
    public required string Model { get; init; }
    public int TotalInstances { get; init; }
    public IReadOnlyList<string> SubmittedIds { get; init; } = [];
    public IReadOnlyList<string> CompletedIds { get; init; } = [];
    public IReadOnlyList<string> ResolvedIds { get; init; } = [];
    public IReadOnlyList<string> UnresolvedIds { get; init; } = [];
    public IReadOnlyList<string> InvalidIds { get; init; } = [];
    public IReadOnlyList<string> NotAppliedIds { get; init; } = [];
    public IReadOnlyList<string> EmptyPatchIds { get; init; } = [];
    public IReadOnlyList<string> InfraErrorIds { get; init; } = [];
    public IReadOnlyDictionary<string, string> InputErrors { get; init; } = new Dictionary<string, string>();

    /// <summary>Resolved over all tasks (the leaderboard's denominator), in percent.</summary>
    public double ResolvedPercent => TotalInstances == 0 ? 0 : 100.0 * ResolvedIds.Count / TotalInstances;

    public static SweSummary Compute(string model, int totalInstances, IReadOnlyList<TaskOutcome> outcomes)
    {
        List<string> Ids(Func<TaskOutcome, bool> pick) => outcomes.Where(pick).Select(o => o.Task.InstanceId).Order(StringComparer.Ordinal).ToList();
        bool Is(TaskOutcome o, GradeStatus s) => o.Report?.Status == s;
        return new SweSummary
        {
            Model = model,
            TotalInstances = totalInstances,
            SubmittedIds = Ids(_ => true),
            CompletedIds = Ids(o => o.Report is { Status: not GradeStatus.InfraError }),
            ResolvedIds = Ids(o => Is(o, GradeStatus.Resolved)),
            UnresolvedIds = Ids(o => o.Report is { Status: GradeStatus.Unresolved or GradeStatus.Invalid or GradeStatus.NotApplied }),
            InvalidIds = Ids(o => Is(o, GradeStatus.Invalid)),
            NotAppliedIds = Ids(o => Is(o, GradeStatus.NotApplied)),
            EmptyPatchIds = Ids(o => string.IsNullOrWhiteSpace(o.Prediction.ModelPatch)),
            InfraErrorIds = Ids(o => Is(o, GradeStatus.InfraError)),
            InputErrors = outcomes.Where(o => o.InputError is not null).ToDictionary(o => o.Task.InstanceId, o => o.InputError!),
        };
    }

    /// <summary>The official run report's fields (schema 2), plus a <c>crucible</c> section.</summary>
    public JsonObject ToJson()
    {
        static JsonArray A(IEnumerable<string> ids) => new(ids.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray());
        var errors = InfraErrorIds.Concat(InputErrors.Keys).Order(StringComparer.Ordinal).ToList();
        var inputErrors = new JsonObject();
        foreach (var (k, v) in InputErrors) inputErrors[k] = v;
        return new JsonObject
        {
            ["total_instances"] = TotalInstances,
            ["submitted_instances"] = SubmittedIds.Count,
            ["completed_instances"] = CompletedIds.Count,
            ["resolved_instances"] = ResolvedIds.Count,
            ["unresolved_instances"] = UnresolvedIds.Count,
            ["empty_patch_instances"] = EmptyPatchIds.Count,
            ["error_instances"] = errors.Count,
            ["completed_ids"] = A(CompletedIds),
            ["submitted_ids"] = A(SubmittedIds),
            ["resolved_ids"] = A(ResolvedIds),
            ["unresolved_ids"] = A(UnresolvedIds),
            ["empty_patch_ids"] = A(EmptyPatchIds),
            ["error_ids"] = A(errors),
            ["schema_version"] = 2,
            ["crucible"] = new JsonObject
            {
                ["model_name_or_path"] = Model,
                ["resolved_percent"] = Math.Round(ResolvedPercent, 2),
                ["invalid_ids"] = A(InvalidIds),
                ["not_applied_ids"] = A(NotAppliedIds),
                ["infra_error_ids"] = A(InfraErrorIds),
                ["input_errors"] = inputErrors,
                ["harness"] = GradeKey.HarnessVersion,
            },
        };
    }
}
