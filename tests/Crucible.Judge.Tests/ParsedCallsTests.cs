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
