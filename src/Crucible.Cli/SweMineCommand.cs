using System.CommandLine;
using Crucible.Repos;
using Crucible.Repos.Environments;
using Crucible.Repos.Mining;
using Crucible.Repos.Tasks;
using Crucible.Sandbox;

namespace Crucible.Cli;

/// <summary>
/// <c>crucible swe mine REPO [--out DIR] [--max-commits N] [--max-tasks N] [--env FILE] [--base-url URL --model M]</c>:
/// builds SWE-bench-style tasks from a local repository's fix commits (see <see cref="TaskMiner"/>), writing
/// OUT/instances.jsonl and OUT/tasks/INSTANCE/. Problem statements are placeholders that name the failing tests, or
/// are written by an OpenAI-compatible model when --base-url and --model are given.
/// Exit code: 0 (tasks written, possibly none), 64 bad input.
/// </summary>
internal static class SweMineCommand
{
    public static Command Create()
    {
        var repo = new Argument<DirectoryInfo>("REPO") { Description = "A local git clone (named owner__name to give tasks that repo name)." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Directory for instances.jsonl and tasks/ (default: crucible-out/mined-<repo>)." };
        var name = new Option<string?>("--name") { Description = "owner/name to record as the tasks' repo (default: from the directory name)." };
        var maxCommits = new Option<int>("--max-commits") { Description = "Most recent commits examined.", DefaultValueFactory = _ => 200 };
        var maxTasks = new Option<int>("--max-tasks") { Description = "Stop after this many tasks.", DefaultValueFactory = _ => int.MaxValue };
        var revision = new Option<string>("--rev") { Description = "Revision whose history is mined.", DefaultValueFactory = _ => "HEAD" };
        var env = new Option<FileInfo?>("--env") { Description = "Environment spec (YAML) for running the repository's tests (default: pytest with the system Python)." };
        var model = new ModelCommandOptions();
        var cmd = new Command("mine", "Mine repository tasks from git history: fix commits that change source and tests, FAIL_TO_PASS/PASS_TO_PASS computed in the sandbox.")
        {
            repo, output, name, maxCommits, maxTasks, revision, env,
        };
        cmd.Options.Add(model.BaseUrl);
        cmd.Options.Add(model.Model);
        cmd.Options.Add(model.ApiKeyEnv);
        cmd.Options.Add(model.Timeout);
        cmd.Options.Add(model.MaxRetries);
        cmd.Options.Add(model.Concurrency);
        cmd.Options.Add(model.NoLegacyMaxTokens);
        cmd.SetAction(async (parse, ct) =>
        {
            try
            {
                var repoDir = parse.GetValue(repo)!;
                if (!repoDir.Exists) return Fail($"repository not found: {repoDir.FullName}");
                var outDir = parse.GetValue(output)?.FullName ?? Path.Combine("crucible-out", "mined-" + repoDir.Name);
                var environment = parse.GetValue(env) is { } e ? RepoEnvironment.Load(e.FullName)
                    : File.Exists(repoDir.FullName.TrimEnd('/') + ".env.yaml") ? RepoEnvironment.Load(repoDir.FullName.TrimEnd('/') + ".env.yaml") : RepoEnvironment.Default;
                using var client = parse.GetValue(model.BaseUrl) is null ? null : model.CreateClient(parse);
                IProblemStatementWriter writer = client is null ? new PlaceholderStatementWriter() : new ModelStatementWriter(client);
                await using var pool = SandboxPool.Create(new SandboxOptions { WarmRunners = false });
                var miner = new TaskMiner(pool, environment, writer);
                var options = new MiningOptions
                {
                    Repo = parse.GetValue(name),
                    MaxCommits = parse.GetValue(maxCommits),
                    MaxTasks = parse.GetValue(maxTasks),
                    Revision = parse.GetValue(revision)!,
                };
                var tasks = new List<RepositoryTask>();
                Directory.CreateDirectory(Path.Combine(outDir, "tasks"));
                await foreach (var r in miner.MineAsync(repoDir.FullName, options, ct))
                {
                    var shortId = r.Commit[..10];
                    if (r.Task is { } t)
                    {
                        tasks.Add(t);
                        TaskWriter.WriteDirectory(Path.Combine(outDir, "tasks"), t);
                        // Rewritten after each task, so an interrupted run keeps what it found.
                        TaskWriter.WriteInstances(Path.Combine(outDir, "instances.jsonl"), tasks);
                        Console.Error.WriteLine($"[mine] {shortId} task {t.InstanceId}: {t.FailToPass.Count} FAIL_TO_PASS, {t.PassToPass.Count} PASS_TO_PASS — {r.Subject}");
                    }
                    else Console.Error.WriteLine($"[mine] {shortId} skipped: {r.Skipped} — {r.Subject}");
                }
                TaskWriter.WriteInstances(Path.Combine(outDir, "instances.jsonl"), tasks);
                Console.WriteLine($"{tasks.Count} tasks written to {Path.Combine(outDir, "instances.jsonl")} and {Path.Combine(outDir, "tasks")}/");
                return 0;
            }
            catch (Exception e) when (e is RepositoryInputException or SandboxException or ArgumentException)
            {
                return Fail(e.Message);
            }
        });
        return cmd;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return 64;
    }
}
