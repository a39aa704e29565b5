namespace Crucible.Judge;

/// <summary>
/// An assertion script: HumanEval's <c>def check(candidate)</c> (called with <see cref="EntryPoint"/>), MBPP-style
/// <c>assert</c> lines, or pytest-style <c>def test_*()</c> functions. Passing means the script ran to the end.
/// Python submissions only. The script never runs in the solution's process: a trusted driver runs it against
/// stand-ins and the solution only ever sees the arguments of the calls made to it (docs/judge.md).
/// </summary>
public sealed record AssertionTest(string Script) : TestCase
{
    [System.Text.Json.Serialization.JsonIgnore]
    public override bool CallsIntoPython => true;

    /// <summary>Function passed to <c>check</c>; null when the script is plain assert statements or test functions.</summary>
    public string? EntryPoint { get; init; }

    /// <summary>Setup code run before the script, on the test's side (MBPP test_setup_code).</summary>
    public string? Setup { get; init; }
}
