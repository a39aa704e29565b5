namespace Crucible.Repos.Tasks;

/// <summary>
/// One issue-resolution task in the SWE-bench shape: a repository at a base commit, the issue text, the reference
/// fix (<see cref="GoldPatch"/>), the tests that check it (<see cref="TestPatch"/>) and the test ids that must go from
/// failing to passing and stay passing.
/// </summary>
public sealed record RepositoryTask
{
    /// <summary>Unique id, e.g. <c>owner__name-123</c>.</summary>
    public required string InstanceId { get; init; }

    /// <summary>Repository as <c>owner/name</c>; found under <c>--repos DIR</c> as <c>owner__name</c>.</summary>
    public required string Repo { get; init; }

    /// <summary>Commit whose tree is the task's starting point.</summary>
    public required string BaseCommit { get; init; }

    /// <summary>The reference fix (source files only).</summary>
    public string GoldPatch { get; init; } = "";

    /// <summary>Test changes applied before the tests run; its files are the test files that are run.</summary>
    public string TestPatch { get; init; } = "";

    public string ProblemStatement { get; init; } = "";
    public string HintsText { get; init; } = "";
    public string? CreatedAt { get; init; }
    public string? Version { get; init; }
    public string? EnvironmentSetupCommit { get; init; }

    /// <summary>Test ids (pytest node ids for Python) that fail at base and pass with the fix.</summary>
    public IReadOnlyList<string> FailToPass { get; init; } = [];

    /// <summary>Test ids that pass both before and after the fix.</summary>
    public IReadOnlyList<string> PassToPass { get; init; } = [];

    /// <summary>Explicit location of the repository (a clone or a directory) for this task; overrides <c>--repos</c>.</summary>
    public string? RepoPath { get; init; }

    /// <summary>Where the task was read from (file and line, or task directory), for messages.</summary>
    public string? Origin { get; init; }

    /// <summary>The repository name as a directory name: <c>owner/name</c> → <c>owner__name</c>.</summary>
    public string RepoDirectoryName => Repo.Replace("/", "__", StringComparison.Ordinal);

    /// <summary>Files the test patch touches, in patch order: the test files that are reset and run.</summary>
    public IReadOnlyList<string> TestFiles => Patching.UnifiedDiff.Parse(TestPatch).Select(f => f.Path).Distinct(StringComparer.Ordinal).ToList();
}
