using Crucible.Judge.Values;

namespace Crucible.Judge.Execution;

/// <summary>
/// The checked function-call tests of the problems judged most recently, with their expected values parsed: the
/// samples of one problem (ten per problem for pass@10) share one parse instead of each parsing every expected value
/// again (evalplus-scale --problems 40: judging 13.6 -> 12.2 s). Bounded, so an evaluation never holds
/// the parsed values of a whole dataset (those stay JSON text until a problem is judged).
/// </summary>
internal static class ParsedCalls
{
    private const int Capacity = 8;
    private static readonly Lock Gate = new();
    private static readonly LinkedList<(TestCase[] Tests, IReadOnlyDictionary<int, PyValue> Expected)> Recent = new();

    /// <summary>The parsed expected values of exactly these tests (the same test objects, in order), if remembered.</summary>
    public static IReadOnlyDictionary<int, PyValue>? Find(IReadOnlyList<TestCase> tests)
    {
        lock (Gate)
        {
            for (var node = Recent.First; node is not null; node = node.Next)
            {
                if (!SameTests(node.Value.Tests, tests)) continue;
                Recent.Remove(node);
                Recent.AddFirst(node);
                return node.Value.Expected;
            }
        }
        return null;
    }

    /// <summary>Remembers the parsed expected values of tests that passed every check.</summary>
    public static void Remember(IReadOnlyList<TestCase> tests, IReadOnlyDictionary<int, PyValue> expected)
    {
        var copy = tests.ToArray();
        lock (Gate)
        {
            Recent.AddFirst((copy, expected));
            while (Recent.Count > Capacity) Recent.RemoveLast();
        }
    }

    private static bool SameTests(TestCase[] remembered, IReadOnlyList<TestCase> tests)
    {
        if (remembered.Length != tests.Count) return false;
        for (var i = 0; i < remembered.Length; i++)
            if (!ReferenceEquals(remembered[i], tests[i])) return false;
        return true;
    }
}
