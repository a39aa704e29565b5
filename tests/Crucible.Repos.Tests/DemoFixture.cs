using System.Diagnostics;
using Crucible.Repos.Environments;
using Crucible.Repos.Grading;
using Crucible.Repos.Tasks;
using Crucible.Sandbox;

[assembly: AssemblyFixture(typeof(Crucible.Repos.Tests.DemoFixture))]

namespace Crucible.Repos.Tests;

/// <summary>
/// The demo repositories of examples/swe, built once by its script into a temporary directory, and one sandbox pool
/// with a private state root. Tests that need the sandbox or pytest skip with the reason when they are absent.
/// </summary>
public sealed class DemoFixture : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "crucible-repos-test-" + Guid.NewGuid().ToString("N")[..8]);
    public string ReposDirectory => Path.Combine(Root, "demo", "repos");
    public string TasksDirectory => Path.Combine(ExamplesDirectory, "tasks");
    public static string ExamplesDirectory { get; } = FindExamples();
    public SandboxPool? Pool { get; private set; }
    public string? Unavailable { get; private set; }
    public IReadOnlyList<RepositoryTask> Tasks { get; private set; } = [];
    public RepositorySources Sources => new(ReposDirectory);

    public async ValueTask InitializeAsync()
    {
        Tasks = TaskLoader.Load(TasksDirectory);
        Directory.CreateDirectory(Root);
        var build = Process.Start(new ProcessStartInfo("bash", [Path.Combine(ExamplesDirectory, "build-demo.sh"), Path.Combine(Root, "demo")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var err = await build.StandardError.ReadToEndAsync();
        await build.WaitForExitAsync();
        if (build.ExitCode != 0) throw new InvalidOperationException("build-demo.sh failed: " + err);
        var pytest = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", "import pytest"]) { RedirectStandardError = true })!;
        await pytest.WaitForExitAsync();
        if (pytest.ExitCode != 0) { Unavailable = "Debian's python3-pytest is not installed (scripts/install-prereqs.sh installs it)"; return; }
        try
        {
            Pool = SandboxPool.Create(new SandboxOptions { StateRoot = Path.Combine(Root, "state"), MaxSessions = 16, WarmRunners = false });
        }
        catch (SandboxException e) { Unavailable = e.Message; }
    }

    /// <summary>The pool, or skips the calling test naming what is missing.</summary>
    public SandboxPool RequirePool()
    {
        Assert.SkipWhen(Unavailable is not null, Unavailable ?? "");
        return Pool!;
    }

    public TaskGrader Grader() => new(RequirePool(), Sources);

    public RepositoryTask Task(string id) => Tasks.Single(t => t.InstanceId == "crucible-demo__" + id);

    public static string ReadExample(params string[] parts) => File.ReadAllText(Path.Combine([ExamplesDirectory, .. parts]));

    public async ValueTask DisposeAsync()
    {
        if (Pool is not null) await Pool.DisposeAsync();
        try { Directory.Delete(Root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
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
