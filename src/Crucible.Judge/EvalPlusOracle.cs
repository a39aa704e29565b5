namespace Crucible.Judge;

/// <summary>
/// How EvalPlus decides one HumanEval+/MBPP+ input (<c>evalplus/eval/__init__.py</c>, <c>unsafe_execute</c>): most
/// tasks compare the returned value with the reference's, a few have a task-specific oracle keyed by entry point.
/// </summary>
public enum EvalPlusOracle
{
    /// <summary><c>out == exp</c>, then numpy <c>allclose</c> when a tolerance is in force.</summary>
    Equality,

    /// <summary>HumanEval/32 <c>find_zero</c>: any x with |poly(xs, x)| ≤ atol is right.</summary>
    FindZero,

    /// <summary>Mbpp/164 <c>are_equivalent</c>: EvalPlus accepts any returned value (the call must not raise).</summary>
    AnyValue,

    /// <summary>Mbpp/295 <c>sum_div</c>: the reference's value, or 0.</summary>
    ZeroAlsoAccepted,

    /// <summary>Mbpp/581 <c>surface_Area</c>: also within atol of round(base² + 2·base·slant height).</summary>
    SurfaceArea,

    /// <summary>Mbpp/558 <c>digit_distance_nums</c>: also the digit distance of the zero-padded numbers.</summary>
    DigitDistance,

    /// <summary>MBPP+ tasks whose answer is a collection in no particular order: <c>set(out) == set(exp)</c>.</summary>
    SetEquality,

    /// <summary>
    /// MBPP+ tasks whose answer cannot be serialized (e.g. a regex match): only "is it None" is compared. The
    /// returned value is reduced to a bool in the sandbox (a bool stays itself, anything else becomes <c>out is not None</c>).
    /// </summary>
    NotNone,
}
