namespace Crucible.Judge;

/// <summary>
/// Marks a <see cref="FunctionCallTest"/> as an EvalPlus (HumanEval+/MBPP+) test, judged by EvalPlus's own rule for
/// that input rather than <see cref="ComparisonOptions"/>: the task's <see cref="Oracle"/> and the absolute tolerance
/// in force at this input. The solution is loaded as EvalPlus loads it (a fresh namespace, no prelude).
/// </summary>
public sealed record EvalPlusCheck
{
    public EvalPlusOracle Oracle { get; init; } = EvalPlusOracle.Equality;

    /// <summary>
    /// The tolerance EvalPlus uses at this input: the task's <c>atol</c>, or 1e-6 once any input of the same split up
    /// to this one expects a float or a non-empty flat list/tuple of floats (EvalPlus's loop sets it and keeps it for
    /// the following inputs); 0 means exact. When non-zero and the values are not equal, EvalPlus requires the same
    /// type, the same length for lists/tuples, and numpy <c>allclose(out, exp, rtol=1e-7, atol)</c>.
    /// </summary>
    public double Atol { get; init; }
}
