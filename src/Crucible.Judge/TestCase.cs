namespace Crucible.Judge;

/// <summary>
/// One test of a problem. The kinds are all first-class; the judge picks the harness by kind:
/// <see cref="StdioTest"/> and <see cref="CheckerTest"/> work for every language; <see cref="FunctionCallTest"/> and
/// <see cref="AssertionTest"/> call into the program and work for Python submissions (the datasets' language).
/// </summary>
public abstract record TestCase
{
    /// <summary>Public (shown to the model) or private/hidden.</summary>
    public bool IsPublic { get; init; }

    /// <summary>Optional label for reports (e.g. <c>base_input[3]</c>).</summary>
    public string? Name { get; init; }

    /// <summary>CPU time for this test alone (set by <see cref="ReferenceCalibration"/> in per-test mode); overrides the problem's.</summary>
    public TimeSpan? CpuTimeLimit { get; init; }

    /// <summary>
    /// Tests of one group (e.g. EvalPlus's <c>base</c> or <c>plus</c> inputs) are judged as a unit: stopping at the
    /// first failure and the group's time budget apply within the group only, so every group gets its own verdict.
    /// </summary>
    public string? Group { get; init; }

    /// <summary>True for the kinds that call into the submission's code (function calls, assertions): Python only.</summary>
    [System.Text.Json.Serialization.JsonIgnore] // derived from the kind: not part of a test's content (result keys hash it)
    public virtual bool CallsIntoPython => false;
}
