namespace Crucible.Agent.Repository.Workspace;

/// <summary>
/// One test run in a workspace: each test id's status (<c>passed</c>, <c>failed</c>, <c>error</c>, <c>skipped</c>,
/// <c>xfail</c>), the log's tail, and whether the run could be read at all. An infrastructure failure is never a test
/// failure: strategies stop instead of scoring it.
/// </summary>
public sealed record RepairTestRun
{
    public IReadOnlyDictionary<string, string> Statuses { get; init; } = new Dictionary<string, string>();
    public string Log { get; init; } = "";

    /// <summary>Set when no per-test results could be read (collection error, crash, timeout); the log says why.</summary>
    public string? Problem { get; init; }

    /// <summary>The sandbox itself failed; the run says nothing about the code.</summary>
    public bool InfrastructureError { get; init; }

    public double DurationMs { get; init; }

    public static bool IsPass(string status) => status is "passed" or "xfail";

    public IEnumerable<string> Passed => Statuses.Where(kv => IsPass(kv.Value)).Select(kv => kv.Key);
    public IEnumerable<string> Failing => Statuses.Where(kv => kv.Value is "failed" or "error").Select(kv => kv.Key);
}
