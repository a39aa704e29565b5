using System.CommandLine;
using Crucible.Agent.Models;
using Crucible.Agent.Repository.Repair;
using Crucible.Agent.Repository.Workspace;
using Crucible.Agent.Solving;
using Crucible.Repos;
using Crucible.Repos.Environments;
using Crucible.Repos.Tasks;
using Crucible.Repos.Workspaces;
using Crucible.Sandbox;

namespace Crucible.Cli;

/// <summary>
/// <c>crucible fix --repo DIR --issue FILE --base-url URL --model NAME</c>: runs the repository agent on a local
/// repository. The agent works on a snapshot (a fresh git repository of the tree's files, in the sandbox); the user's
/// tree is only read. The patch is written to --out; it is applied to DIR only with --apply (checked first).
/// Exit code: 0 patch written (verified or not), 1 no patch, 2 the model server refused the run, 64 bad input, 130 interrupted.
/// </summary>
internal static class FixCommand
{
    public static Command Create()
    {
        var repo = new Option<DirectoryInfo>("--repo") { Description = "The repository to fix (a git clone or a plain directory); it is not modified unless --apply.", Required = true };
        var issue = new Option<FileInfo>("--issue") { Description = "A text or Markdown file describing the issue.", Required = true };
        var output = new Option<FileInfo?>("--out") { Description = "Where to write the patch (default crucible-out/fix-<repo>.patch)." };
        var apply = new Option<bool>("--apply") { Description = "Apply the patch to --repo after writing it (git apply --check first)." };
        var env = new Option<FileInfo?>("--env") { Description = "Environment spec (YAML): interpreter, env (e.g. PYTHONPATH: src), pre_test, test_command." };
        var trace = new Option<FileInfo?>("--trace") { Description = "Save the run's trace (every model call, edit and test run) as JSON." };
        var replay = new Option<FileInfo?>("--replay") { Description = "Replay a saved trace offline: model answers and test results come from it." };
        var options = new RepairCommandOptions();
        var cmd = new Command("fix", "Fix an issue in a local repository with the repository agent; writes a patch, never touches the tree unless --apply.")
        {
            repo, issue, output, apply, env, trace, replay,
        };
        options.AddTo(cmd);
        cmd.SetAction((parse, ct) => RepairCommandOptions.RunAsync(async () =>
        {
            var snapshot = Path.Combine(Path.GetTempPath(), "crucible-fix-" + Guid.NewGuid().ToString("N")[..12]);
            try
            {
                var repoDir = parse.GetValue(repo)!;
                var issueFile = parse.GetValue(issue)!;
                if (!repoDir.Exists) return Fail($"--repo {repoDir.FullName} does not exist.");
                if (!issueFile.Exists) return Fail($"--issue {issueFile.FullName} does not exist; write the issue text into a file.");
                var text = await File.ReadAllTextAsync(issueFile.FullName, ct);
                if (text.Trim().Length == 0) return Fail($"--issue {issueFile.FullName} is empty.");
                var name = repoDir.Name;
                var outFile = parse.GetValue(output)?.FullName ?? Path.GetFullPath(Path.Combine("crucible-out", $"fix-{name}.patch"));
                if (outFile.StartsWith(repoDir.FullName.TrimEnd('/') + "/", StringComparison.Ordinal) && !parse.GetValue(apply))
                    Console.Error.WriteLine("note: --out is inside --repo; the patch file is the only thing written there.");
                var environment = parse.GetValue(env) is { } envFile ? RepoEnvironment.Load(envFile.FullName) : RepoEnvironment.Default;
                var repairOptions = options.CreateOptions(parse);
                var replayTrace = parse.GetValue(replay) is { } rf ? await SolveTrace.LoadAsync(rf.FullName, ct) : null;

                var baseCommit = await LocalSnapshot.CreateAsync(repoDir.FullName, snapshot, ct);
                var task = new RepositoryTask { InstanceId = "fix-" + name, Repo = "local/" + name, BaseCommit = baseCommit, ProblemStatement = text, RepoPath = snapshot };
                await using var pool = SandboxPool.Create(new SandboxOptions { WarmRunners = false });
                await using var sandboxWorkspace = new SandboxRepairWorkspace(await TaskWorkspace.CreateAsync(pool, task, snapshot, environment, cancellationToken: ct));
                IRepairWorkspace workspace = replayTrace is null ? sandboxWorkspace : new ReplayRepairWorkspace(sandboxWorkspace, replayTrace);
                using var httpClient = replayTrace is null ? options.CreateClient(parse) : null;
                IModelClient client = replayTrace is null ? httpClient! : new ReplayModelClient(replayTrace);
                var result = await new RepairSolver(client, repairOptions)
                    .SolveAsync(new RepairIssue(task.InstanceId, text), workspace, options.CreateStrategy(parse, repairOptions.Settings), ct);
                if (parse.GetValue(trace) is { } traceFile) await result.Trace.SaveAsync(traceFile.FullName, ct);
                Console.Error.WriteLine(RepairCommandOptions.Describe(result));
                if (result.Patch.Length == 0) return 1;
                Directory.CreateDirectory(Path.GetDirectoryName(outFile)!);
                await File.WriteAllTextAsync(outFile, result.Patch, ct);
                Console.Error.WriteLine($"patch: {outFile}");
                if (parse.GetValue(apply))
                {
                    await LocalSnapshot.ApplyAsync(repoDir.FullName, outFile, ct);
                    Console.Error.WriteLine($"applied to {repoDir.FullName}");
                }
                else Console.Error.WriteLine($"not applied; to apply: git -C {repoDir.FullName} apply {outFile}");
                return 0;
            }
            finally
            {
                try { Directory.Delete(snapshot, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }, "interrupted.", ct));
        return cmd;
    }

    private static int Fail(string message) => RepairCommandOptions.Fail(message);
}
