using System.Text.Json.Nodes;
using Crucible.Repos.Testing;

namespace Crucible.Repos.Grading;

/// <summary>The result of grading one prediction on one task, convertible to the official harness's report.json.</summary>
public sealed record GradeReport
{
    public required string InstanceId { get; init; }
    public required string ModelName { get; init; }
    public required GradeStatus Status { get; init; }

    /// <summary>Why, in words (which tests failed, which check made it invalid, what did not apply).</summary>
    public string Reason { get; init; } = "";

    public bool PatchIsNone { get; init; }
    public bool PatchExists { get; init; }
    public bool PatchApplied { get; init; }
    public string? ApplyMethod { get; init; }

    /// <summary>Paths the model patch touched that grading does not let it change (test files, test configuration).</summary>
    public IReadOnlyList<string> IgnoredPaths { get; init; } = [];

    public IReadOnlyList<string> FailToPassSuccess { get; init; } = [];
    public IReadOnlyList<string> FailToPassFailure { get; init; } = [];
    public IReadOnlyList<string> PassToPassSuccess { get; init; } = [];
    public IReadOnlyList<string> PassToPassFailure { get; init; } = [];

    /// <summary>Every test id the run reported.</summary>
    public IReadOnlyDictionary<string, TestStatus> TestStatuses { get; init; } = new Dictionary<string, TestStatus>();

    public int? ExitCode { get; init; }
    public string? Verdict { get; init; }
    public double CpuSeconds { get; init; }
    public double WallSeconds { get; init; }
    public string Log { get; init; } = "";

    /// <summary>Wall seconds per grading stage (workspace, model_patch, reset_tests, test_patch, tests, teardown).</summary>
    public IReadOnlyDictionary<string, double> Timings { get; init; } = new Dictionary<string, double>();

    public bool Resolved => Status == GradeStatus.Resolved;

    /// <summary>Status names as written in reports.</summary>
    public static string StatusName(GradeStatus s) => s switch
    {
        GradeStatus.Resolved => "resolved",
        GradeStatus.Unresolved => "unresolved",
        GradeStatus.Invalid => "invalid",
        GradeStatus.NotApplied => "not_applied",
        _ => "infra_error",
    };

    /// <summary>
    /// <c>{instance_id: {patch_is_None, patch_exists, patch_successfully_applied, resolved, tests_status}}</c>, the
    /// official report.json shape, with Crucible's own fields under <c>crucible</c>.
    /// </summary>
    public JsonObject ToOfficialJson()
    {
        static JsonObject Pair(IReadOnlyList<string> ok, IReadOnlyList<string> bad) => new()
        {
            ["success"] = new JsonArray(ok.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
            ["failure"] = new JsonArray(bad.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
        };
        var body = new JsonObject
        {
            ["patch_is_None"] = PatchIsNone,
            ["patch_exists"] = PatchExists,
            ["patch_successfully_applied"] = PatchApplied,
            ["resolved"] = Resolved,
        };
        if (PatchApplied)
            body["tests_status"] = new JsonObject
            {
                ["FAIL_TO_PASS"] = Pair(FailToPassSuccess, FailToPassFailure),
                ["PASS_TO_PASS"] = Pair(PassToPassSuccess, PassToPassFailure),
                ["FAIL_TO_FAIL"] = Pair([], []),
                ["PASS_TO_FAIL"] = Pair([], []),
            };
        var statuses = new JsonObject();
        foreach (var (id, st) in TestStatuses.OrderBy(k => k.Key, StringComparer.Ordinal)) statuses[id] = st.ToString().ToUpperInvariant();
        body["crucible"] = new JsonObject
        {
            ["status"] = StatusName(Status),
            ["reason"] = Reason,
            ["model_name_or_path"] = ModelName,
            ["apply_method"] = ApplyMethod,
            ["ignored_paths"] = new JsonArray(IgnoredPaths.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
            ["exit_code"] = ExitCode,
            ["verdict"] = Verdict,
            ["cpu_seconds"] = Math.Round(CpuSeconds, 3),
            ["wall_seconds"] = Math.Round(WallSeconds, 3),
            ["test_statuses"] = statuses,
            ["timings_s"] = new JsonObject(Timings.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
        };
        return new JsonObject { [InstanceId] = body };
    }
}
