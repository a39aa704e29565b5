using System.Text.Json;
using System.Text.Json.Nodes;

namespace Crucible.Repos.Tasks;

/// <summary>Writes tasks back out: as SWE-bench instances (one JSON object per line) and as task directories.</summary>
public static class TaskWriter
{
    public static JsonObject ToInstanceJson(RepositoryTask t) => new()
    {
        ["repo"] = t.Repo,
        ["instance_id"] = t.InstanceId,
        ["base_commit"] = t.BaseCommit,
        ["patch"] = t.GoldPatch,
        ["test_patch"] = t.TestPatch,
        ["problem_statement"] = t.ProblemStatement,
        ["hints_text"] = t.HintsText,
        ["created_at"] = t.CreatedAt,
        ["version"] = t.Version,
        ["FAIL_TO_PASS"] = JsonSerializer.Serialize(t.FailToPass),
        ["PASS_TO_PASS"] = JsonSerializer.Serialize(t.PassToPass),
        ["environment_setup_commit"] = t.EnvironmentSetupCommit,
    };

    public static void WriteInstances(string file, IEnumerable<RepositoryTask> tasks)
    {
        using var w = new StreamWriter(file);
        foreach (var t in tasks) w.WriteLine(ToInstanceJson(t).ToJsonString());
    }

    /// <summary>Writes <c>dir/INSTANCE_ID/</c> with task.yaml, tests.json, problem_statement.md, hints.md, gold.patch, test.patch.</summary>
    public static string WriteDirectory(string root, RepositoryTask t)
    {
        var dir = Path.Combine(root, t.InstanceId);
        Directory.CreateDirectory(dir);
        static string Q(string? v) => JsonSerializer.Serialize(v ?? "");
        File.WriteAllText(Path.Combine(dir, TaskLoader.TaskFileName),
            $"instance_id: {Q(t.InstanceId)}\nrepo: {Q(t.Repo)}\nbase_commit: {Q(t.BaseCommit)}\nversion: {Q(t.Version)}\ncreated_at: {Q(t.CreatedAt)}\n" +
            (t.EnvironmentSetupCommit is null ? "" : $"environment_setup_commit: {Q(t.EnvironmentSetupCommit)}\n"));
        File.WriteAllText(Path.Combine(dir, "tests.json"), new JsonObject
        {
            ["FAIL_TO_PASS"] = new JsonArray(t.FailToPass.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
            ["PASS_TO_PASS"] = new JsonArray(t.PassToPass.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllText(Path.Combine(dir, "problem_statement.md"), t.ProblemStatement);
        if (t.HintsText.Length > 0) File.WriteAllText(Path.Combine(dir, "hints.md"), t.HintsText);
        File.WriteAllText(Path.Combine(dir, "gold.patch"), t.GoldPatch);
        File.WriteAllText(Path.Combine(dir, "test.patch"), t.TestPatch);
        return dir;
    }
}
