using Crucible.Judge.Values;

namespace Crucible.Judge.Execution;

/// <summary>
/// The checked function-call tests of the problems judged most recently, with their expected values parsed: the
/// samples of one problem (ten per problem for pass@10) share one parse instead of each parsing every expected value
/// again (evalplus-scale --problems 40: judging 13.6 -> 12.2 s). Samples of a problem judged at once share it too: the
/// first one parses, the others wait for it (each parsed on its own before: 6% of the host's CPU on evalplus-scale,
/// by perf, went to parses of values another sample was parsing at the same moment). Bounded, so an evaluation never holds the parsed
/// values of a whole dataset (those stay JSON text until a problem is judged).
/// </summary>
internal static class ParsedCalls
{
    private const int Capacity = 8;
    private static readonly Lock Gate = new();
    private static readonly LinkedList<(TestCase[] Tests, Lazy<IReadOnlyDictionary<int, PyValue>> Expected)> Recent = new();

    /// <summary>
    /// The parsed expected values of exactly these tests (the same test objects, in order): remembered, or made by
    /// <paramref name="parse"/> once however many ask at the same time. A parse that throws is not remembered.
    /// </summary>
    public static IReadOnlyDictionary<int, PyValue> GetOrParse(IReadOnlyList<TestCase> tests, Func<IReadOnlyDictionary<int, PyValue>> parse)
    {
        LinkedListNode<(TestCase[] Tests, Lazy<IReadOnlyDictionary<int, PyValue>> Expected)>? entry = null;
        lock (Gate)
        {
            for (var node = Recent.First; node is not null; node = node.Next)
            {
                if (!SameTests(node.Value.Tests, tests)) continue;
                Recent.Remove(node);
                Recent.AddFirst(node);
                entry = node;
                break;
            }
            if (entry is null)
            {
                entry = Recent.AddFirst((tests.ToArray(), new Lazy<IReadOnlyDictionary<int, PyValue>>(parse, LazyThreadSafetyMode.ExecutionAndPublication)));
                while (Recent.Count > Capacity) Recent.RemoveLast();
            }
        }
        try
        {
            return entry.Value.Expected.Value;
        }
        catch
        {
            lock (Gate)
                if (entry.List == Recent) Recent.Remove(entry);
            throw;
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
