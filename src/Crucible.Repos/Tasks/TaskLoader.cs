using System.Text.Json;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Crucible.Repos.Tasks;

/// <summary>
/// Reads tasks from SWE-bench instance files (JSONL, or JSON holding a list) or from task directories
/// (<c>task.yaml</c>, <c>tests.json</c>, <c>problem_statement.md</c>, <c>hints.md</c>, <c>gold.patch</c>,
/// <c>test.patch</c>); a directory may be one task or hold one task per subdirectory.
/// Every malformed input throws <see cref="RepositoryInputException"/> naming the file, line and field.
/// </summary>
public static class TaskLoader
{
    public const string TaskFileName = "task.yaml";

    public static IReadOnlyList<RepositoryTask> Load(string path)
    {
        IReadOnlyList<RepositoryTask> tasks;
        if (Directory.Exists(path))
        {
            if (File.Exists(Path.Combine(path, TaskFileName))) tasks = [LoadDirectory(path)];
            else
            {
                tasks = Directory.GetDirectories(path).Where(d => File.Exists(Path.Combine(d, TaskFileName)))
                    .Order(StringComparer.Ordinal).Select(LoadDirectory).ToList();
                if (tasks.Count == 0)
                    throw new RepositoryInputException($"{path}: no {TaskFileName} in it or in its subdirectories; pass an instances .jsonl/.json file or a task directory.");
            }
        }
        else if (File.Exists(path)) tasks = LoadInstances(path);
        else throw new RepositoryInputException($"{path}: no such file or directory (--tasks takes SWE-bench instances as .jsonl/.json or task directories).");
        var dup = tasks.GroupBy(t => t.InstanceId).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null)
            throw new RepositoryInputException($"{path}: instance_id '{dup.Key}' appears {dup.Count()} times ({string.Join(", ", dup.Select(t => t.Origin))}); ids must be unique.");
        return tasks;
    }

    /// <summary>SWE-bench instances: one JSON object per line, or a JSON array of them.</summary>
    public static IReadOnlyList<RepositoryTask> LoadInstances(string file)
    {
        var text = File.ReadAllText(file);
        var trimmed = text.TrimStart();
        var tasks = new List<RepositoryTask>();
        if (trimmed.StartsWith('['))
        {
            JsonDocument doc;
            try { doc = JsonDocument.Parse(text); }
            catch (JsonException e) { throw new RepositoryInputException($"{file}: not valid JSON ({e.Message}).", e); }
            using (doc)
            {
                var n = 0;
                foreach (var item in doc.RootElement.EnumerateArray()) tasks.Add(FromJson(item, $"{file} item {++n}"));
            }
            return tasks;
        }
        var lineNo = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonDocument doc;
            try { doc = JsonDocument.Parse(line); }
            catch (JsonException e) { throw new RepositoryInputException($"{file}:{lineNo}: not a JSON object ({e.Message}); instances files have one SWE-bench instance per line.", e); }
            using (doc) tasks.Add(FromJson(doc.RootElement, $"{file}:{lineNo}"));
        }
        return tasks;
    }

    /// <summary>One SWE-bench instance object (e.g. from a request body); <paramref name="origin"/> names it in errors.</summary>
    public static RepositoryTask FromJson(JsonElement e, string origin)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new RepositoryInputException($"{origin}: expected a JSON object with SWE-bench instance fields.");
        string Required(string name)
        {
            if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString()))
                throw new RepositoryInputException($"{origin}: missing or empty string field '{name}' (required: instance_id, repo, base_commit).");
            return v.GetString()!;
        }
        string? Optional(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var id = Required("instance_id");
        origin = $"{origin} ({id})";
        return new RepositoryTask
        {
            InstanceId = id,
            Repo = Required("repo"),
            BaseCommit = Required("base_commit"),
            GoldPatch = Optional("patch") ?? "",
            TestPatch = Optional("test_patch") ?? "",
            ProblemStatement = Optional("problem_statement") ?? "",
            HintsText = Optional("hints_text") ?? "",
            CreatedAt = Optional("created_at"),
            Version = e.TryGetProperty("version", out var ver) && ver.ValueKind is JsonValueKind.Number ? ver.GetRawText() : Optional("version"),
            EnvironmentSetupCommit = Optional("environment_setup_commit"),
            FailToPass = TestList(e, "FAIL_TO_PASS", origin),
            PassToPass = TestList(e, "PASS_TO_PASS", origin),
            RepoPath = Optional("repo_path"),
            Origin = origin,
        };
    }

    /// <summary>SWE-bench stores the test lists as JSON arrays or as strings holding a JSON array; both are accepted.</summary>
    internal static IReadOnlyList<string> TestList(JsonElement e, string name, string origin)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return [];
        if (v.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var inner = JsonDocument.Parse(v.GetString()!);
                return Strings(inner.RootElement, name, origin);
            }
            catch (JsonException ex) { throw new RepositoryInputException($"{origin}: field '{name}' is a string but not a JSON list of test ids ({ex.Message}).", ex); }
        }
        return Strings(v, name, origin);
    }

    private static List<string> Strings(JsonElement v, string name, string origin)
    {
        if (v.ValueKind != JsonValueKind.Array) throw new RepositoryInputException($"{origin}: field '{name}' must be a list of test ids (or a JSON string of one), got {v.ValueKind}.");
        var list = new List<string>();
        foreach (var x in v.EnumerateArray())
        {
            if (x.ValueKind != JsonValueKind.String) throw new RepositoryInputException($"{origin}: field '{name}' holds a {x.ValueKind}; test ids are strings.");
            list.Add(x.GetString()!);
        }
        return list;
    }

    /// <summary>One task directory.</summary>
    public static RepositoryTask LoadDirectory(string dir)
    {
        var yamlPath = Path.Combine(dir, TaskFileName);
        TaskYaml meta;
        try
        {
            meta = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build()
                .Deserialize<TaskYaml>(File.ReadAllText(yamlPath)) ?? new TaskYaml();
        }
        catch (YamlDotNet.Core.YamlException e) { throw new RepositoryInputException($"{yamlPath}: {e.Message} (fields: instance_id, repo, base_commit, version, created_at, environment_setup_commit, repo_path).", e); }
        string Req(string? v, string name) => string.IsNullOrWhiteSpace(v) ? throw new RepositoryInputException($"{yamlPath}: missing field '{name}'.") : v;
        var testsPath = Path.Combine(dir, "tests.json");
        IReadOnlyList<string> f2p = [], p2p = [];
        if (File.Exists(testsPath))
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(testsPath));
                f2p = TestList(doc.RootElement, "FAIL_TO_PASS", testsPath);
                p2p = TestList(doc.RootElement, "PASS_TO_PASS", testsPath);
            }
            catch (JsonException e) { throw new RepositoryInputException($"{testsPath}: not valid JSON ({e.Message}); expected {{\"FAIL_TO_PASS\": [...], \"PASS_TO_PASS\": [...]}}.", e); }
        }
        string Read(string name) => File.Exists(Path.Combine(dir, name)) ? File.ReadAllText(Path.Combine(dir, name)) : "";
        var repoPath = meta.RepoPath is null ? null : Path.GetFullPath(Path.Combine(dir, meta.RepoPath));
        return new RepositoryTask
        {
            InstanceId = Req(meta.InstanceId, "instance_id"),
            Repo = Req(meta.Repo, "repo"),
            BaseCommit = Req(meta.BaseCommit, "base_commit"),
            Version = meta.Version,
            CreatedAt = meta.CreatedAt,
            EnvironmentSetupCommit = meta.EnvironmentSetupCommit,
            RepoPath = repoPath,
            FailToPass = f2p,
            PassToPass = p2p,
            ProblemStatement = Read("problem_statement.md"),
            HintsText = Read("hints.md"),
            GoldPatch = Read("gold.patch"),
            TestPatch = Read("test.patch"),
            Origin = dir,
        };
    }

    private sealed class TaskYaml
    {
        public string? InstanceId { get; set; }
        public string? Repo { get; set; }
        public string? BaseCommit { get; set; }
        public string? Version { get; set; }
        public string? CreatedAt { get; set; }
        public string? EnvironmentSetupCommit { get; set; }
        public string? RepoPath { get; set; }
    }
}
