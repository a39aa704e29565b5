namespace Crucible.Repos.Mining;

/// <summary>Which commits <see cref="TaskMiner"/> looks at and how it names what it finds.</summary>
public sealed record MiningOptions
{
    /// <summary><c>owner/name</c> of the repository (default: from a directory named <c>owner__name</c>, else <c>local/DIR</c>).</summary>
    public string? Repo { get; init; }

    /// <summary>Revision whose history is mined.</summary>
    public string Revision { get; init; } = "HEAD";

    /// <summary>Most recent commits examined.</summary>
    public int MaxCommits { get; init; } = 200;

    /// <summary>Stop after this many tasks.</summary>
    public int MaxTasks { get; init; } = int.MaxValue;

    /// <summary>Paths that are tests (their changes form the test patch); every other changed file is source.</summary>
    public IReadOnlyList<string> TestGlobs { get; init; } = ["**/tests/**", "**/test/**", "**/testing/**", "**/test_*.py", "**/*_test.py", "**/conftest.py"];

    /// <summary>Source changes worth a task: at least one changed file must match (docs-only fixes are skipped).</summary>
    public IReadOnlyList<string> SourceGlobs { get; init; } = ["**/*.py"];
}
