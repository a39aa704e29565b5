using Crucible.Judge.Execution;
using Crucible.Judge.Values;

namespace Crucible.Judge.Tests;

/// <summary>The parsed expected values one problem's samples share, and what must not be taken for them.</summary>
/// <remarks>Alone: judging in other tests remembers problems too, and could push these out of the bounded cache mid-test.</remarks>
[Collection(nameof(ParsedCallsTests))]
public sealed class ParsedCallsTests
{
    private static Dictionary<int, PyValue> Parsed(string json) => new() { [0] = PyJson.Parse(json) };

    [Fact]
    public void The_same_test_objects_find_what_was_remembered_and_equal_copies_do_not()
    {
        TestCase[] tests = [new FunctionCallTest("f", "[1]", "[2]")];
        var expected = Parsed("[2]");
        ParsedCalls.Remember(tests, expected);
        Assert.Same(expected, ParsedCalls.Find(tests));
        Assert.Same(expected, ParsedCalls.Find(tests.ToList())); // another list holding the same tests
        // An equal but distinct test (records compare by value) is another problem's: never served from the cache.
        Assert.Null(ParsedCalls.Find([new FunctionCallTest("f", "[1]", "[2]")]));
        Assert.Null(ParsedCalls.Find([tests[0], new FunctionCallTest("f", "[3]", "[4]")]));
    }

    [Fact]
    public void Only_the_most_recent_problems_are_kept()
    {
        TestCase[] first = [new FunctionCallTest("g", "[0]", "0")];
        ParsedCalls.Remember(first, Parsed("0"));
        for (var i = 1; i <= 20; i++) ParsedCalls.Remember([new FunctionCallTest("g", $"[{i}]", $"{i}")], Parsed($"{i}"));
        Assert.Null(ParsedCalls.Find(first));
    }
}

[CollectionDefinition(nameof(ParsedCallsTests), DisableParallelization = true)]
public sealed class ParsedCallsCollection;

/// <summary>Previews render only the start of a value, and that start is exactly the whole repr's.</summary>
public sealed class BoundedReprTests
{
    [Theory]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"$tuple\": [\"a\", [1.5, {\"$set\": [1, 2]}], null, true]}")]
    [InlineData("[[1, 2], [3, 4], {\"k\": [5, 6]}, \"long string value here\"]")]
    public void The_start_of_the_repr_is_the_start_of_the_whole_repr(string json)
    {
        var value = PyJson.Parse(json);
        var whole = value.ToString();
        for (var n = 0; n <= whole.Length + 1; n++)
        {
            var start = value.ToString(n);
            var shown = Math.Min(n, whole.Length);
            Assert.Equal(whole[..shown], start[..Math.Min(shown, start.Length)]);
            Assert.True(start.Length >= shown, $"limit {n}: '{start}' is shorter than the first {shown} characters of '{whole}'");
            if (whole.Length <= n) Assert.Equal(whole, start);
        }
    }

    [Fact]
    public void A_large_value_is_not_rendered_whole()
    {
        var big = PyJson.Parse("[" + string.Join(", ", Enumerable.Range(0, 100_000)) + "]");
        var start = big.ToString(201);
        Assert.True(start.Length < 1000, $"{start.Length} characters rendered for a limit of 201");
        Assert.StartsWith("[0, 1, 2, 3", start);
    }
}
