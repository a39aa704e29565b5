using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Crucible.Judge;

namespace Crucible.Bench.Tests;

/// <summary>Result keys: a problem's hash is what it always was, now written by the generated serializer.</summary>
public sealed class ResultKeyTests
{
    private static readonly TestCase[] EveryKind =
    [
        new FunctionCallTest("f", "[[1,2],\"<a & b>\",\"é\"]", "{\"$tuple\":[1,2.5]}")
        {
            Name = "plus_input[3]", Group = "plus", CpuTimeLimit = TimeSpan.FromSeconds(4.25), IsPublic = true, ClassName = "Solution",
            ExpectedIsWrapped = true, EvalPlus = new EvalPlusCheck { Oracle = EvalPlusOracle.FindZero, Atol = 1e-6 },
        },
        new FunctionCallTest("g", "[]", "null"),
        new StdioTest("1 2\n", "3\n") { Name = "t1" },
        new CheckerTest("in", "ans", "int main(){}", "cpp") { CpuTimeLimit = TimeSpan.FromMilliseconds(1500) },
        new AssertionTest("assert f(1) == 2") { EntryPoint = "f", Setup = "import math" },
    ];

    [Fact]
    public void Each_test_kind_is_written_as_the_reflection_serializer_writes_it()
    {
        foreach (var t in EveryKind)
            Assert.Equal(JsonSerializer.Serialize(t, t.GetType()),
                         JsonSerializer.Serialize(t, TestCaseJson.Default.GetTypeInfo(t.GetType())!));
    }

    [Fact]
    public void A_problems_hash_is_unchanged_so_stored_results_are_still_found()
    {
        var problem = new Problem { Id = "HumanEval/7", EntryPoint = "f", Prompt = "def f(xs, k):\n", Tests = EveryKind };

        Assert.Equal(ReflectionProblemHash(problem), ResultKey.ProblemHash(problem));
    }

    // The hash as it was computed before the generated serializer: every test serialized to a string by reflection.
    private static string ReflectionProblemHash(Problem problem)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Append(string s)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            h.AppendData(BitConverter.GetBytes((long)bytes.Length));
            h.AppendData(bytes);
        }
        Append(problem.Id);
        Append(problem.Language);
        Append(problem.Prompt ?? "\u0001");
        Append(problem.EntryPoint ?? "\u0001");
        Append(JsonSerializer.Serialize(problem.Limits));
        Append(JsonSerializer.Serialize(problem.Comparison));
        foreach (var t in problem.Tests)
        {
            Append(t.GetType().Name);
            Append(JsonSerializer.Serialize(t, t.GetType()));
        }
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }
}
