namespace Crucible.Repos.Grading;

/// <summary>The outcome of grading one prediction.</summary>
public enum GradeStatus
{
    /// <summary>Every FAIL_TO_PASS and PASS_TO_PASS test passed (PASSED or XFAIL).</summary>
    Resolved,

    /// <summary>The tests ran and at least one required test did not pass (or the run hit a limit).</summary>
    Unresolved,

    /// <summary>The run gave no trustworthy evidence: no report, no tests, or an exit status the report contradicts.</summary>
    Invalid,

    /// <summary>The model patch (or the test patch on top of it) did not apply.</summary>
    NotApplied,

    /// <summary>Crucible failed (sandbox, git on the host): a claim about us, never counted against the model.</summary>
    InfraError,
}
