using Crucible.Sandbox;

namespace Crucible.Repos.Testing;

/// <summary>Which tests to run in a workspace: test files (repository-relative) and optionally tighter limits.</summary>
public sealed record TestRunSpec
{
    /// <summary>Files (or node ids such as <c>tests/test_x.py::test_y</c>) given to the test command.</summary>
    public required IReadOnlyList<string> Tests { get; init; }

    /// <summary>Limits for this run; the environment's when null.</summary>
    public ResourceLimits? Limits { get; init; }
}
