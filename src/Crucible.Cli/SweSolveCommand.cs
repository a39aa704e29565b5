using System.CommandLine;
using System.Text.Json;
using Crucible.Agent.Models;
using Crucible.Agent.Repository.Repair;
using Crucible.Agent.Repository.Workspace;
using Crucible.Repos;
using Crucible.Repos.Environments;
using Crucible.Repos.Tasks;
using Crucible.Repos.Workspaces;
using Crucible.Sandbox;

namespace Crucible.Cli;

/// <summary>
/// <c>crucible swe solve --tasks PATH --base-url URL --model NAME [--strategy S] [--repos DIR] [--out FILE]</c>: runs the
/// repository agent on each task in a fresh workspace of its base tree (no history) and appends SWE-bench predictions
/// (<c>instance_id, model_name_or_path, model_patch</c>) to --out, which <c>crucible swe eval --predictions</c> grades.
/// Rerunning skips tasks already in --out. Traces land next to it. Exit code: 0 done, 1 some tasks failed (model or
/// sandbox; rerun to retry them), 2 the model server refused the run (key, URL, model), 64 bad input, 130 interrupted.
/// </summary>
internal static class SweSolveCommand
{
    public static Command Create()
    {
        var tasks = new Option<string>("--tasks") { Description = "SWE-bench instances (.jsonl/.json) or task directories, as for `crucible swe eval`.", Required = true };
        var repos = new Option<DirectoryInfo?>("--repos") { Description = "Directory holding local clones named owner__name (and optional owner__name.env.yaml specs)." };
        var env = new Option<FileInfo?>("--env") { Description = "Environment spec (YAML) for every task, as for `crucible swe eval`." };
        var output = new Option<FileInfo?>("--out") { Description = "Predictions JSONL to append to (default crucible-out/swe-solve/predictions.jsonl); traces go to a traces/ directory beside it." };
        var ids = new Option<string[]>("--id") { Description = "Only these instance ids (repeatable)." };
        var options = new RepairCommandOptions();
        var cmd = new Command("solve", "Resolve repository tasks with the repository agent and write SWE-bench predictions.") { tasks, repos, env, output, ids };
        options.AddTo(cmd);
        cmd.SetAction((parse, ct) => RepairCommandOptions.RunAsync(async () =>
        {
            var taskList = TaskLoader.Load(parse.GetValue(tasks)!);
            var only = parse.GetValue(ids) ?? [];
            if (only.Length > 0)
            {
                var unknown = only.Where(i => taskList.All(t => t.InstanceId != i)).ToArray();
                if (unknown.Length > 0) return Fail($"--id {string.Join(", ", unknown)}: no such task in {parse.GetValue(tasks)}.");
                taskList = taskList.Where(t => only.Contains(t.InstanceId)).ToArray();
            }
            var sources = new RepositorySources(parse.GetValue(repos)?.FullName, parse.GetValue(env)?.FullName);
            var outFile = parse.GetValue(output)?.FullName ?? Path.GetFullPath(Path.Combine("crucible-out", "swe-solve", "predictions.jsonl"));
            Directory.CreateDirectory(Path.GetDirectoryName(outFile)!);
            var done = File.Exists(outFile) && new FileInfo(outFile).Length > 0
                ? PredictionLoader.Load(outFile).Select(p => p.InstanceId).ToHashSet(StringComparer.Ordinal)
                : [];
            var repairOptions = options.CreateOptions(parse);
            var strategy = options.CreateStrategy(parse, repairOptions.Settings);
            using var client = options.CreateClient(parse);
            var solver = new RepairSolver(client, repairOptions);
            var traces = Path.Combine(Path.GetDirectoryName(outFile)!, "traces");
            await using var pool = SandboxPool.Create(new SandboxOptions { WarmRunners = false });
            var failed = 0;
            foreach (var task in taskList)
            {
                if (done.Contains(task.InstanceId)) { Console.Error.WriteLine($"{task.InstanceId}: already in {outFile}; skipped"); continue; }
                RepairResult result;
                try
                {
                    await using var workspace = new SandboxRepairWorkspace(await TaskWorkspace.CreateAsync(pool, task, sources.RepositoryPath(task), sources.Environment(task), cancellationToken: ct));
                    result = await solver.SolveAsync(new RepairIssue(task.InstanceId, task.ProblemStatement) { Hints = task.HintsText }, workspace, strategy, ct);
                }
                catch (RepositoryInputException e)
                {
                    Console.Error.WriteLine($"{task.InstanceId}: {e.Message}");
                    failed++;
                    continue;
                }
                await result.Trace.SaveAsync(Path.Combine(traces, task.InstanceId + ".trace.json"), ct);
                Console.Error.WriteLine(RepairCommandOptions.Describe(result));
                if (result.StopReason is Agent.Solving.StopReason.ModelError or Agent.Solving.StopReason.InfrastructureError) { failed++; continue; }
                var line = JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["instance_id"] = task.InstanceId, ["model_name_or_path"] = client.Model, ["model_patch"] = result.Patch,
                });
                await File.AppendAllTextAsync(outFile, line + "\n", ct);
            }
            Console.Error.WriteLine($"predictions: {outFile}; grade with: crucible swe eval --tasks {parse.GetValue(tasks)} --predictions {outFile}" +
                                    (parse.GetValue(repos) is { } r ? $" --repos {r.FullName}" : ""));
            return failed > 0 ? 1 : 0;
        }, "interrupted; finished predictions are kept (rerun to continue).", ct));
        return cmd;
    }

    private static int Fail(string message) => RepairCommandOptions.Fail(message);
}
