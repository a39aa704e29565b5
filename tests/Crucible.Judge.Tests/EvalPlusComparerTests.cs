using Crucible.Judge.Values;

namespace Crucible.Judge.Tests;

/// <summary>EvalPlus's per-input decision on the host (evalplus/eval/__init__.py, unsafe_execute), value by value.</summary>
public sealed class EvalPlusComparerTests
{
    private static bool Accepts(string actual, string expected, EvalPlusOracle oracle = EvalPlusOracle.Equality, double atol = 0, string args = "[]") =>
        EvalPlusComparer.Accepts(PyJson.Parse(actual), PyJson.Parse(expected), new EvalPlusCheck { Oracle = oracle, Atol = atol }, PyJson.Parse(args));

    [Theory]
    [InlineData("2", "2.0", 0, true)]                 // Python ==
    [InlineData("2.0000001", "2.0", 0, false)]        // no tolerance in force
    [InlineData("2.0000001", "2.0", 1e-6, true)]
    [InlineData("2", "2.5000001", 1e-6, false)]       // with tolerance, the types must match
    [InlineData("[1, 2.0000001]", "[1, 2]", 1e-6, true)]  // allclose on a list once the tolerance is in force
    [InlineData("[1.0]", "[1.0, 2.0]", 1e-6, false)]  // lengths must match
    [InlineData("{\"$tuple\":[1.0]}", "[1.0]", 1e-6, false)]
    [InlineData("[\"a\"]", "[\"b\"]", 1e-6, false)]   // allclose raises on strings: a failed input
    [InlineData("{\"$float\":\"nan\"}", "{\"$float\":\"nan\"}", 1e-6, false)]
    [InlineData("{\"$float\":\"inf\"}", "{\"$float\":\"inf\"}", 1e-6, true)]
    public void Equality_and_tolerance(string actual, string expected, double atol, bool accepted) =>
        Assert.Equal(accepted, Accepts(actual, expected, atol: atol));

    [Theory]
    [InlineData("[3, 1, 2]", "{\"$tuple\":[1, 2, 3]}", true)]
    [InlineData("[1, 1, 2, 3]", "[1, 2, 3]", true)]
    [InlineData("[[1], [2]]", "[[1], [2]]", false)]   // set() of lists raises in EvalPlus, even when equal
    [InlineData("\"abc\"", "[\"c\", \"b\", \"a\"]", true)]
    [InlineData("5", "[5]", false)]
    public void Set_equality_tasks(string actual, string expected, bool accepted) =>
        Assert.Equal(accepted, Accepts(actual, expected, EvalPlusOracle.SetEquality));

    [Fact]
    public void Special_oracles_recompute_from_the_arguments()
    {
        Assert.True(Accepts("3.0", "1.0", EvalPlusOracle.FindZero, 1e-6, "[[-6, 11, -6, 1]]"));
        Assert.False(Accepts("2.5", "2.5", EvalPlusOracle.FindZero, 1e-6, "[[-6, 11, -6, 1]]")); // only |poly(x)| counts
        Assert.False(Accepts("\"3\"", "1.0", EvalPlusOracle.FindZero, 1e-6, "[[-6, 11, -6, 1]]"));
        Assert.True(Accepts("0", "7", EvalPlusOracle.ZeroAlsoAccepted));
        Assert.True(Accepts("\"anything\"", "true", EvalPlusOracle.AnyValue));
        Assert.True(Accepts("7", "2", EvalPlusOracle.DigitDistance, args: "[123, 256]"));   // |1-2|+|2-5|+|3-6| = 7
        Assert.True(Accepts("5", "9", EvalPlusOracle.DigitDistance, args: "[5, 123]"));     // 005 vs 123: 1 + 2 + 2
        Assert.False(Accepts("5", "9", EvalPlusOracle.DigitDistance, args: "[-5, 123]"));   // str(-5) has a '-': EvalPlus's oracle raises
        Assert.True(Accepts("35", "0", EvalPlusOracle.SurfaceArea, args: "[3, 4]"));      // round(9 + 2·3·√18.25) = 35
        Assert.False(Accepts("34", "0", EvalPlusOracle.SurfaceArea, args: "[3, 4]"));
    }
}
