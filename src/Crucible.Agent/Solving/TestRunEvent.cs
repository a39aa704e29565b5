namespace Crucible.Agent.Solving;

/// <summary>
/// A test run in a repository workspace: the patch under test (its hash and text), the tests asked for, and each test
/// id's status. Replay answers the same (patch, tests) from here, so a repository run replays without the sandbox.
/// </summary>
public sealed record TestRunEvent : TraceEvent
{
    public string PatchHash { get; init; } = "";
    public string Patch { get; init; } = "";
    public IReadOnlyList<string> Tests { get; init; } = [];
    public IReadOnlyDictionary<string, string> Statuses { get; init; } = new Dictionary<string, string>();
    public string? Problem { get; init; }
    public bool InfrastructureError { get; init; }
    public string Log { get; init; } = "";
    public double DurationMs { get; init; }
}
