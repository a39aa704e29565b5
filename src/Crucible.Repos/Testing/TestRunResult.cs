using Crucible.Sandbox;

namespace Crucible.Repos.Testing;

/// <summary>One run of the test command: the sandbox's account of the process and the per-test statuses from JUnit XML.</summary>
public sealed record TestRunResult
{
    public required RunResult Run { get; init; }

    /// <summary>Status per test id (worst status when an id is reported twice, e.g. a teardown error after a pass).</summary>
    public IReadOnlyDictionary<string, TestStatus> Statuses { get; init; } = new Dictionary<string, TestStatus>();

    /// <summary>True when a JUnit XML report was found and parsed.</summary>
    public bool ReportFound { get; init; }

    /// <summary>Why the report could not be used, when it could not.</summary>
    public string? ReportProblem { get; init; }

    /// <summary>Tail of stdout and stderr, for logs.</summary>
    public string Log { get; init; } = "";

    public bool AnyFailureRecorded => Statuses.Values.Any(s => s is TestStatus.Failed or TestStatus.Error);
}
