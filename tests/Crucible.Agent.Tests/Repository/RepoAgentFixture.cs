using System.Diagnostics;
using Crucible.Agent.Repository.Workspace;
using Crucible.Repos.Environments;
using Crucible.Repos.Tasks;
using Crucible.Repos.Workspaces;
using Crucible.Sandbox;

namespace Crucible.Agent.Tests.Repository;

/// <summary>
/// The demo repositories of examples/swe built once (by their own script) into a temporary directory, a sandbox pool
/// with a private state root, and per task the "right answers" a scripted model gives. Tests that need the sandbox or
/// pytest skip naming what is missing.
/// </summary>
public sealed class RepoAgentFixture : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "crucible-repo-agent-test-" + Guid.NewGuid().ToString("N")[..8]);
    public string ReposDirectory => Path.Combine(Root, "demo", "repos");
    public static string ExamplesDirectory { get; } = FindExamples();
    public string TasksDirectory => Path.Combine(ExamplesDirectory, "tasks");
    public SandboxPool? Pool { get; private set; }
    public string? Unavailable { get; private set; }
    public IReadOnlyList<RepositoryTask> Tasks { get; private set; } = [];
    public RepositorySources Sources => new(ReposDirectory);

    public async ValueTask InitializeAsync()
    {
        Tasks = TaskLoader.Load(TasksDirectory);
        Directory.CreateDirectory(Root);
        var (code, _, err) = await RunAsync("bash", Path.Combine(ExamplesDirectory, "build-demo.sh"), Path.Combine(Root, "demo"));
        if (code != 0) throw new InvalidOperationException("build-demo.sh failed: " + err);
        if ((await RunAsync("/usr/bin/python3", "-c", "import pytest")).Code != 0)
        {
            Unavailable = "Debian's python3-pytest is not installed (scripts/install-prereqs.sh installs it)";
            return;
        }
        try { Pool = SandboxPool.Create(new SandboxOptions { StateRoot = Path.Combine(Root, "state"), MaxSessions = 8, WarmRunners = false }); }
        catch (SandboxException e) { Unavailable = e.Message; }
    }

    public SandboxPool RequirePool()
    {
        Assert.SkipWhen(Unavailable is not null, Unavailable ?? "");
        return Pool!;
    }

    public RepositoryTask Task(string id) => Tasks.Single(t => t.InstanceId == "crucible-demo__" + id);

    public async Task<SandboxRepairWorkspace> WorkspaceAsync(RepositoryTask task)
    {
        var pool = RequirePool();
        var ws = await TaskWorkspace.CreateAsync(pool, task, Sources.RepositoryPath(task), Sources.Environment(task));
        return new SandboxRepairWorkspace(ws);
    }

    /// <summary>The task's test files as the fix commit has them: a reproduction test a right model would write.</summary>
    public async Task<string> FixedTestFileAsync(RepositoryTask task)
    {
        var repo = Sources.RepositoryPath(task);
        var (_, children, _) = await RunAsync("git", "-C", repo, "rev-list", "--ancestry-path", task.BaseCommit + "..HEAD");
        var fix = children.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        var (_, text, _) = await RunAsync("git", "-C", repo, "show", $"{fix}:{task.TestFiles[0]}");
        return text;
    }

    public async ValueTask DisposeAsync()
    {
        if (Pool is not null) await Pool.DisposeAsync();
        try { Directory.Delete(Root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    internal static async Task<(int Code, string Out, string Err)> RunAsync(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }

    private static string FindExamples()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            var candidate = Path.Combine(dir, "examples", "swe");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("examples/swe not found above " + AppContext.BaseDirectory);
    }
}
