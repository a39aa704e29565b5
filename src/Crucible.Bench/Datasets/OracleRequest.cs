using Crucible.Judge;

namespace Crucible.Bench;

/// <summary>
/// A problem whose expected outputs are not in the file but defined as "what the reference solution returns"
/// (EvalPlus base_input / plus_input). <see cref="ReferenceOracle"/> runs <see cref="Code"/> in the sandbox on each
/// input and turns the answers into function-call tests.
/// </summary>
public sealed record OracleRequest(string ProblemId, string Code, string EntryPoint, IReadOnlyList<OracleInput> Inputs)
{
    /// <summary>
    /// For EvalPlus problems: the task's oracle and its own atol. The tests get EvalPlus's rule per input (the
    /// tolerance in force there) and, for "is it None" tasks, the reference's answers reduced as EvalPlus reduces them.
    /// </summary>
    public EvalPlusCheck? EvalPlus { get; init; }
}

/// <summary>One input of an <see cref="OracleRequest"/>: a report name (e.g. <c>plus_input[7]</c>) and the JSON argument list.</summary>
public sealed record OracleInput(string Name, string ArgumentsJson)
{
    /// <summary>The split the test belongs to (<see cref="TestCase.Group"/>).</summary>
    public string? Group { get; init; }
}
