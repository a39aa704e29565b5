namespace Crucible.Repos.Testing;

/// <summary>Outcome of one test id, as the official harness names them.</summary>
public enum TestStatus
{
    Passed,
    Failed,
    Skipped,
    Error,
    XFail,
}
