namespace Crucible.Judge;

/// <summary>
/// Calls <c>FunctionName(*args)</c> (or <c>ClassName().FunctionName(*args)</c> for LeetCode-style <c>class Solution</c>)
/// and compares the returned value with <see cref="ExpectedJson"/> on the host. Python submissions only.
/// </summary>
/// <param name="FunctionName">The function or method to call.</param>
/// <param name="ArgumentsJson">
/// A JSON array of the positional arguments. Python's JSON extensions (<c>NaN</c>, <c>Infinity</c>) are accepted, and
/// the typed forms <c>{"$tuple": [...]}</c>, <c>{"$set": [...]}</c>, <c>{"$frozenset": [...]}</c>,
/// <c>{"$dict": [[k, v], ...]}</c> (non-string keys), <c>{"$bytes": "base64"}</c>, <c>{"$float": "nan"}</c> stand for
/// Python values JSON cannot express. Any other JSON object is a dict.
/// </param>
/// <param name="ExpectedJson">The expected return value, in the same notation.</param>
public sealed record FunctionCallTest(string FunctionName, string ArgumentsJson, string ExpectedJson) : TestCase
{
    private readonly string? _expectedJson = ExpectedJson;
    private readonly DeferredJson? _deferredExpected;

    /// <summary>A test whose expected value stays where <paramref name="expected"/> keeps it until a judge reads it.</summary>
    public FunctionCallTest(string functionName, string argumentsJson, DeferredJson expected) : this(functionName, argumentsJson, (string)null!) =>
        _deferredExpected = expected ?? throw new ArgumentNullException(nameof(expected));

    /// <summary>The expected return value; for a deferred one (<see cref="ExpectedIsDeferred"/>) every read loads it again.</summary>
    public string ExpectedJson
    {
        get => _expectedJson ?? _deferredExpected?.Load()!;
        init
        {
            _expectedJson = value;
            _deferredExpected = null;
        }
    }

    /// <summary>
    /// True when <see cref="ExpectedJson"/> is not held in memory: readers that only need to know it is large parse it
    /// when its result arrives and drop it after the comparison, never reading it twice.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool ExpectedIsDeferred => _expectedJson is null && _deferredExpected is not null;

    /// <summary>Where a deferred expected value is kept (null when it is in memory).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DeferredJson? DeferredExpected => _expectedJson is null ? _deferredExpected : null;

    [System.Text.Json.Serialization.JsonIgnore]
    public override bool CallsIntoPython => true;

    /// <summary>
    /// Class whose fresh instance's method is called, e.g. <c>Solution</c>. When null, a module-level function is
    /// called if there is one, else a method of <c>Solution()</c> when the code defines that class (as LiveCodeBench does).
    /// </summary>
    public string? ClassName { get; init; }

    /// <summary>
    /// APPS/TACO store call-based expected values wrapped in a list (<c>[answer]</c>); their grader accepts the
    /// returned value when it equals the list or its first element. Set by <see cref="GroundTruth"/> for that shape.
    /// </summary>
    public bool ExpectedIsWrapped { get; init; }

    /// <summary>
    /// Set for HumanEval+/MBPP+ tests: decided by EvalPlus's rule for the input (see <see cref="EvalPlusCheck"/>).
    /// The strict verdict refuses values that are not plain builtins; the official one (<see cref="TestResult.OfficialOutcome"/>)
    /// is what EvalPlus's own <c>out == exp</c> decides, computed in a separate run when the value is not a plain builtin.
    /// </summary>
    public EvalPlusCheck? EvalPlus { get; init; }

    /// <summary>
    /// Value equality over the content, whether the expected value is in memory or deferred (two loads of one dataset
    /// give equal tests). Written out because the deferred form keeps no string a generated equality could compare.
    /// </summary>
    public bool Equals(FunctionCallTest? other) =>
        ReferenceEquals(this, other)
        || (other is not null && base.Equals(other) && FunctionName == other.FunctionName && ArgumentsJson == other.ArgumentsJson
            && ClassName == other.ClassName && ExpectedIsWrapped == other.ExpectedIsWrapped && Equals(EvalPlus, other.EvalPlus)
            && (ReferenceEquals(DeferredExpected, other.DeferredExpected) && _expectedJson == other._expectedJson || ExpectedJson == other.ExpectedJson));

    // The expected value is left out: hashing it would load every deferred one; equal tests still hash equal.
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), FunctionName, ArgumentsJson, ClassName, ExpectedIsWrapped, EvalPlus);
}
