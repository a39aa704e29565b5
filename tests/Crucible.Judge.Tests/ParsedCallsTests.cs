using Crucible.Judge.Execution;
using Crucible.Judge.Values;

namespace Crucible.Judge.Tests;

/// <summary>The parsed expected values one problem's samples share, and what must not be taken for them.</summary>
/// <remarks>Alone: judging in other tests remembers problems too, and could push these out of the bounded cache mid-test.</remarks>
[Collection(nameof(ParsedCallsTests))]
public sealed class ParsedCallsTests
{
    private static Dictionary<int, PyValue> Parsed(string json) => new() { [0] = PyJson.Parse(json) };

    private static IReadOnlyDictionary<int, PyValue> Never() => throw new InvalidOperationException("parsed again");

    [Fact]
    public void The_same_test_objects_find_what_was_remembered_and_equal_copies_do_not()
    {
        TestCase[] tests = [new FunctionCallTest("f", "[1]", "[2]")];
        var expected = Parsed("[2]");
        Assert.Same(expected, ParsedCalls.GetOrParse(tests, () => expected));
        Assert.Same(expected, ParsedCalls.GetOrParse(tests, Never));
        Assert.Same(expected, ParsedCalls.GetOrParse(tests.ToList(), Never)); // another list holding the same tests
        // An equal but distinct test (records compare by value) is another problem's: never served from the cache.
        var other = Parsed("[2]");
        Assert.Same(other, ParsedCalls.GetOrParse([new FunctionCallTest("f", "[1]", "[2]")], () => other));
        Assert.NotSame(expected, ParsedCalls.GetOrParse([tests[0], new FunctionCallTest("f", "[3]", "[4]")], () => Parsed("[4]")));
    }

    [Fact]
    public void Only_the_most_recent_problems_are_kept()
    {
        TestCase[] first = [new FunctionCallTest("g", "[0]", "0")];
        ParsedCalls.GetOrParse(first, () => Parsed("0"));
        for (var i = 1; i <= 20; i++)
        {
            var json = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            ParsedCalls.GetOrParse([new FunctionCallTest("g", $"[{i}]", json)], () => Parsed(json));
        }
        var again = Parsed("0");
        Assert.Same(again, ParsedCalls.GetOrParse(first, () => again));
    }

    [Fact]
    public async Task Samples_asking_at_the_same_time_share_one_parse()
    {
        TestCase[] tests = [new FunctionCallTest("h", "[1]", "[2]")];
        var parses = 0;
        using var release = new ManualResetEventSlim();
        IReadOnlyDictionary<int, PyValue> Slow()
        {
            Interlocked.Increment(ref parses);
            release.Wait(TimeSpan.FromSeconds(10));
            return Parsed("[2]");
        }
        var askers = Enumerable.Range(0, 4).Select(_ => Task.Run(() => ParsedCalls.GetOrParse(tests, Slow))).ToArray();
        await Task.Delay(200);
        release.Set();
        var results = await Task.WhenAll(askers);
        Assert.Equal(1, parses);
        Assert.All(results, r => Assert.Same(results[0], r));
    }

    [Fact]
    public void A_parse_that_fails_is_not_remembered()
    {
        TestCase[] tests = [new FunctionCallTest("k", "[1]", "[2]")];
        Assert.Throws<ArgumentException>(() => ParsedCalls.GetOrParse(tests, () => throw new ArgumentException("bad test")));
        var expected = Parsed("[2]");
        Assert.Same(expected, ParsedCalls.GetOrParse(tests, () => expected));
    }
}

[CollectionDefinition(nameof(ParsedCallsTests), DisableParallelization = true)]
public sealed class ParsedCallsCollection;
