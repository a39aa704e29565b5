using System.Text.Json.Nodes;
using Crucible.Judge;

namespace Crucible.Curation;

/// <summary>
/// A problem's tests in the shapes RL reward code reads: TACO/APPS <c>{inputs, outputs, fn_name?}</c> (verl's
/// prime_code and sandbox_fusion rewards, DeepCoder's TACO rows) and the LiveCodeBench/rllm list
/// <c>[{input, output, testtype, metadata?}]</c>. Assertion scripts become MBPP's <c>{test_list}</c>; checker tests
/// have no such shape and make a problem unwritable (the writers record it).
/// </summary>
public static class RewardGroundTruth
{
    /// <summary>TACO shape; null with <paramref name="why"/> when the tests cannot be expressed in it.</summary>
    public static JsonObject? Taco(Problem p, out string? why)
    {
        why = null;
        if (p.Tests.All(t => t is StdioTest))
        {
            var stdio = p.Tests.Cast<StdioTest>().ToList();
            return new JsonObject
            {
                ["inputs"] = new JsonArray(stdio.Select(t => (JsonNode?)t.Input).ToArray()),
                ["outputs"] = new JsonArray(stdio.Select(t => (JsonNode?)t.ExpectedOutput).ToArray()),
            };
        }
        if (p.Tests.All(t => t is FunctionCallTest) && SingleFunction(p, out var fn, out why) is { } calls)
        {
            // TACO wraps each expected return value in a list; the graders accept the value or the wrapped value.
            return new JsonObject
            {
                ["fn_name"] = fn,
                ["inputs"] = new JsonArray(calls.Select(c => ProblemJson.Value(c.ArgumentsJson)).ToArray()),
                ["outputs"] = new JsonArray(calls.Select(c => (JsonNode?)new JsonArray(ProblemJson.Value(ProblemJson.Expected(c)))).ToArray()),
            };
        }
        if (p.Tests.All(t => t is AssertionTest { Setup: null }))
            return new JsonObject { ["test_list"] = new JsonArray(p.Tests.Cast<AssertionTest>().Select(a => (JsonNode?)a.Script).ToArray()) };
        why ??= Unsupported(p);
        return null;
    }

    /// <summary>LiveCodeBench/rllm list shape; null with <paramref name="why"/> when the tests cannot be expressed in it.</summary>
    public static JsonArray? TestList(Problem p, out string? why)
    {
        why = null;
        var list = new JsonArray();
        string? fn = null;
        if (p.Tests.Any(t => t is FunctionCallTest) && SingleFunction(p, out fn, out why) is null) return null;
        foreach (var t in p.Tests)
        {
            switch (t)
            {
                case StdioTest s:
                    list.Add(new JsonObject { ["input"] = s.Input, ["output"] = s.ExpectedOutput, ["testtype"] = "stdin" });
                    break;
                case FunctionCallTest f:
                    // LiveCodeBench functional inputs are one JSON value per line; outputs are JSON text.
                    var args = ProblemJson.Value(f.ArgumentsJson) as JsonArray ?? [];
                    list.Add(new JsonObject
                    {
                        ["input"] = string.Join("\n", args.Select(a => a?.ToJsonString() ?? "null")),
                        ["output"] = ProblemJson.Expected(f),
                        ["testtype"] = "functional",
                        ["metadata"] = new JsonObject { ["func_name"] = fn },
                    });
                    break;
                default:
                    why = Unsupported(p);
                    return null;
            }
        }
        return list;
    }

    private static List<FunctionCallTest>? SingleFunction(Problem p, out string? fn, out string? why)
    {
        var calls = p.Tests.OfType<FunctionCallTest>().ToList();
        var names = calls.Select(c => c.FunctionName).Distinct(StringComparer.Ordinal).ToList();
        fn = names.FirstOrDefault();
        why = names.Count > 1 ? $"its call tests name {names.Count} functions ({string.Join(", ", names)}); reward formats name one" : null;
        return why is null ? calls : null;
    }

    private static string Unsupported(Problem p)
    {
        var kinds = p.Tests.Select(t => t.GetType().Name).Distinct().ToList();
        return $"its tests ({string.Join(", ", kinds)}) have no form in this reward format (checker tests and mixed kinds cannot be written)";
    }
}
