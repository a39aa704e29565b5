using System.Text;
using Crucible.Repos.Environments;
using Crucible.Repos.Patching;
using Crucible.Repos.Tasks;
using Crucible.Repos.Testing;
using Crucible.Sandbox;

namespace Crucible.Repos.Workspaces;

/// <summary>
/// A task's repository at its base commit, in a sandbox workspace: the base tree only, committed as the single commit
/// of a fresh <c>git init</c> (never the history, which would reveal the fix). Patches are applied and tests run
/// inside the sandbox as the workspace's own uid; the host only reads and writes single files without following
/// symlinks. This is the object an agent works in and the grader grades in.
/// </summary>
public sealed class TaskWorkspace : IAsyncDisposable
{
    /// <summary>Directory (excluded from git) where runs leave their reports.</summary>
    public const string ResultsDirectory = ".crucible";

    private readonly string _gitDir;
    private HashSet<string>? _basePaths;

    private TaskWorkspace(SandboxWorkspace sandbox, RepositoryTask task, RepoEnvironment environment, string gitDir)
    {
        Sandbox = sandbox;
        Task = task;
        Environment = environment;
        _gitDir = gitDir;
    }

    public RepositoryTask Task { get; }
    public RepoEnvironment Environment { get; }

    /// <summary>The sandbox workspace (host path, raw runs) underneath.</summary>
    public SandboxWorkspace Sandbox { get; }

    /// <summary>
    /// Checks the task's base commit out of the repository at <paramref name="repositoryPath"/> into a new workspace.
    /// Throws <see cref="RepositoryInputException"/> when the path is not a git repository or lacks the commit.
    /// </summary>
    public static async Task<TaskWorkspace> CreateAsync(SandboxPool pool, RepositoryTask task, string repositoryPath, RepoEnvironment? environment = null,
        long sizeBytes = 1L << 30, CancellationToken cancellationToken = default)
    {
        var gitDir = Git.GitDirectory(repositoryPath)
            ?? throw new RepositoryInputException($"task {task.InstanceId}: {repositoryPath} is not a git repository (need a clone of {task.Repo}).");
        var commit = await Git.RunAsync(null, ["--git-dir", gitDir, "rev-parse", "--verify", "--quiet", task.BaseCommit + "^{commit}"], ct: cancellationToken).ConfigureAwait(false);
        if (commit.ExitCode != 0)
            throw new RepositoryInputException($"task {task.InstanceId}: base_commit {task.BaseCommit} is not in {repositoryPath}; fetch it (git -C {repositoryPath} fetch origin {task.BaseCommit}) or fix the instance.");
        var sandbox = await pool.OpenWorkspaceAsync(sizeBytes, cancellationToken).ConfigureAwait(false);
        try
        {
            var ws = sandbox.HostPath;
            var index = Path.Combine(Path.GetTempPath(), $"crucible-index-{Guid.NewGuid():N}");
            try
            {
                var env = new Dictionary<string, string> { ["GIT_INDEX_FILE"] = index };
                await Git.RequireAsync(null, ["--git-dir", gitDir, "read-tree", task.BaseCommit], env, cancellationToken).ConfigureAwait(false);
                await Git.RequireAsync(null, ["--git-dir", gitDir, "--work-tree", ws, "checkout-index", "-a", "-f"], env, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                File.Delete(index);
            }
            await Git.RequireAsync(ws, ["init", "-q", "-b", "main"], ct: cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(ws, ".git", "info", "exclude"), ResultsDirectory + "/\n", cancellationToken).ConfigureAwait(false);
            await Git.RequireAsync(ws, ["add", "-A"], ct: cancellationToken).ConfigureAwait(false);
            await Git.RequireAsync(ws, ["-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "--allow-empty", "-m", "base"], Git.FixedIdentity, cancellationToken).ConfigureAwait(false);
            return new TaskWorkspace(sandbox, task, environment ?? RepoEnvironment.Default, gitDir);
        }
        catch
        {
            await sandbox.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Applies a patch inside the sandbox with the fallback chain (see <see cref="PatchApplier"/>).</summary>
    public Task<PatchOutcome> ApplyPatchAsync(string patch, CancellationToken cancellationToken = default) =>
        PatchApplier.ApplyAsync(Sandbox, patch, cancellationToken);

    /// <summary>Runs the environment's test command on the given test files and reads the JUnit XML it leaves.</summary>
    public Task<TestRunResult> RunTestsAsync(TestRunSpec spec, CancellationToken cancellationToken = default) =>
        TestRunner.RunAsync(Sandbox, Environment, spec, cancellationToken);

    /// <summary>The workspace's changes against the base as a git diff (what an agent submits as its patch).</summary>
    public async Task<string> DiffAsync(CancellationToken cancellationToken = default)
    {
        var r = await Sandbox.RunAsync(new WorkspaceCommand
        {
            Argv = ["/bin/sh", "-c", "git add -A >/dev/null 2>&1 && git -c core.quotepath=off diff --cached --binary HEAD && git reset -q >/dev/null 2>&1"],
            Environment = PatchApplier.GitEnvironment,
            Limits = PatchApplier.ApplyLimits,
        }, cancellationToken).ConfigureAwait(false);
        if (r.Verdict == Verdict.SandboxError) throw new IOException($"git diff in the workspace failed: {r.Message}");
        return r.Stdout;
    }

    /// <summary>Reads a workspace file (relative path), never through a symlink; null when absent.</summary>
    public string? ReadText(string relativePath) => Sandbox.ReadFile(relativePath) is { } b ? Encoding.UTF8.GetString(b) : null;

    /// <summary>Writes a workspace file, replacing (never following) symlinks on the way.</summary>
    public void WriteText(string relativePath, string content) => Sandbox.WriteFile(relativePath, Encoding.UTF8.GetBytes(content));

    /// <summary>Files of the base tree (repository-relative paths).</summary>
    public async Task<IReadOnlySet<string>> BasePathsAsync(CancellationToken cancellationToken = default)
    {
        if (_basePaths is not null) return _basePaths;
        var r = await Git.RequireAsync(null, ["--git-dir", _gitDir, "-c", "core.quotepath=off", "ls-tree", "-r", "-z", "--name-only", Task.BaseCommit], ct: cancellationToken).ConfigureAwait(false);
        return _basePaths = r.Text.Split('\0', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Puts files back as they are at the base commit, from the repository itself; files absent there are deleted.</summary>
    public async Task ResetToBaseAsync(IEnumerable<string> relativePaths, CancellationToken cancellationToken = default)
    {
        var basePaths = await BasePathsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var path in relativePaths.Distinct(StringComparer.Ordinal))
        {
            if (string.IsNullOrEmpty(path) || Path.IsPathRooted(path) || path.Split('/').Contains("..")) continue;
            if (basePaths.Contains(path))
            {
                var blob = await Git.RequireAsync(null, ["--git-dir", _gitDir, "cat-file", "blob", $"{Task.BaseCommit}:{path}"], ct: cancellationToken).ConfigureAwait(false);
                Sandbox.WriteFile(path, blob.Stdout);
            }
            else
            {
                try { Sandbox.Delete(path); }
                catch (SandboxException) { }
            }
        }
    }

    public ValueTask DisposeAsync() => Sandbox.DisposeAsync();
}
