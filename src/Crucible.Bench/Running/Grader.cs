namespace Crucible.Bench;

/// <summary>Whose verdicts score a run. Both are computed on every run; the report lists the samples where they differ.</summary>
public enum Grader
{
    /// <summary>
    /// Crucible's: values must be plain builtins (an object whose <c>__eq__</c> always answers True is refused) and a
    /// split with no tests never passes. Right for rewards.
    /// </summary>
    Strict,

    /// <summary>
    /// The official EvalPlus number, sample for sample: EvalPlus's <c>out == exp</c> on whatever the solution
    /// returns, and a split that is empty in the dataset file passes when the solution loads (as in EvalPlus).
    /// </summary>
    EvalPlus,
}
