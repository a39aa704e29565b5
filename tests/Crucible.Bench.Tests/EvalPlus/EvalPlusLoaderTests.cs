using System.Text.Json;
using Crucible.Judge;

namespace Crucible.Bench.Tests;

/// <summary>Reading HumanEval+/MBPP+ files as they ship, and rebuilding MBPP+ arguments as EvalPlus's loader does.</summary>
public sealed class EvalPlusLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Python_json_dialect_and_an_empty_object_as_plus_input_are_read()
    {
        // Mbpp/404 holds -Infinity/Infinity; Mbpp/793 has "plus_input": {} (Python iterates it as an empty split).
        var path = _dir.Write("MbppPlus.jsonl", string.Join("\n",
            """{"task_id": "Mbpp/404", "prompt": "", "entry_point": "minimum", "canonical_solution": "def minimum(a, b):\n    return min(a, b)\n", "atol": 0, "base_input": [[1, 2]], "plus_input": [[-Infinity, Infinity], [NaN, 1.5], ["NaN", "-Infinity"]]}""",
            """{"task_id": "Mbpp/793", "prompt": "", "entry_point": "last", "canonical_solution": "def last(arr, x):\n    return arr.index(x)\n", "atol": 0, "base_input": [[[1, 2, 3], 1]], "plus_input": {}}"""));

        var ds = await DatasetLoader.LoadAsync(path, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(DatasetFormat.EvalPlus, ds.Format);
        var inputs = ds.PendingOracles.Single(o => o.ProblemId == "Mbpp/404").Inputs;
        Assert.Equal("""[{"$float":"-inf"}, {"$float":"inf"}]""", inputs[1].ArgumentsJson);
        Assert.Equal("""[{"$float":"nan"}, 1.5]""", inputs[2].ArgumentsJson);
        Assert.Equal("""["NaN", "-Infinity"]""", inputs[3].ArgumentsJson); // text inside strings is left alone
        var empty = ds.PendingOracles.Single(o => o.ProblemId == "Mbpp/793");
        Assert.Equal(["base"], empty.Inputs.Select(i => i.Group).Distinct());
        Assert.Equal(0, EvalPlusFormat.DatasetCount(ds.Find("Mbpp/793")!, EvalPlusFormat.PlusGroup));
    }

    [Theory]
    [InlineData(2, """[[3, 4], [5, 4]]""", """[{"$tuple":[3,4]},{"$tuple":[5,4]}]""")]
    [InlineData(63, """[[[1, 2], [3, 4]]]""", """[[{"$tuple":[1,2]},{"$tuple":[3,4]}]]""")]
    [InlineData(75, """[[[6, 24]], 6, "dropped"]""", """[[{"$tuple":[6,24]}],6]""")]
    [InlineData(106, """[[5, 6], [9, 10]]""", """[[5, 6],{"$tuple":[9,10]}]""")]
    [InlineData(115, """[[[1, 2], [], {}]]""", """[[{"$set":[1,2]},{},{}]]""")]
    [InlineData(124, """[3, "1+2j"]""", """[3.0,{"$complex":[1.0,2.0]}]""")]
    [InlineData(252, """["(-1.5-2j)"]""", """[{"$complex":[-1.5,-2.0]}]""")]
    [InlineData(259, """[[[1, 3], [4, 5]], [[6, 7]]]""", """[{"$tuple":[{"$tuple":[1,3]},{"$tuple":[4,5]}]},{"$tuple":[{"$tuple":[6,7]}]}]""")]
    [InlineData(278, """[[1, [4, 6], 10]]""", """[{"$tuple":[1,{"$tuple":[4,6]},10]}]""")]
    [InlineData(722, """[{"a": [6.2, 70]}, 6]""", """[{"a":{"$tuple":[6.2,70]}},6]""")]
    [InlineData(580, """[[4, [5, [7, 6]], 8]]""", """[{"$tuple":[4,{"$tuple":[5,{"$tuple":[7,6]}]},8]}]""")]
    [InlineData(999, """[[1, 2]]""", """[[1, 2]]""")]
    public void Mbpp_arguments_are_rebuilt_into_the_types_EvalPlus_gives_them(int task, string stored, string typed)
    {
        using var doc = JsonDocument.Parse(stored);
        Assert.Equal(typed, MbppPlusInputs.Rebuild(task, doc.RootElement));
    }

    [Fact]
    public async Task An_input_the_loader_cannot_rebuild_is_an_error_naming_task_and_input()
    {
        var path = _dir.Write("MbppPlus.jsonl", """{"task_id": "Mbpp/124", "prompt": "", "entry_point": "angle", "canonical_solution": "def angle(a, b):\n    return 0\n", "atol": 0, "base_input": [[1, "not a number"]], "plus_input": []}""");
        var e = await Assert.ThrowsAsync<DatasetException>(() => DatasetLoader.LoadAsync(path, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("Mbpp/124 base_input[0]", e.Message);
    }

    [Theory]
    [InlineData("HumanEval/32", "find_zero", EvalPlusOracle.FindZero)]
    [InlineData("Mbpp/2", "similar_elements", EvalPlusOracle.SetEquality)]
    [InlineData("Mbpp/164", "are_equivalent", EvalPlusOracle.AnyValue)]
    [InlineData("Mbpp/295", "sum_div", EvalPlusOracle.ZeroAlsoAccepted)]
    [InlineData("Mbpp/787", "text_match_three", EvalPlusOracle.NotNone)]
    [InlineData("HumanEval/7", "similar_elements", EvalPlusOracle.Equality)] // keyed by dataset and entry point, as EvalPlus keys them
    public void Special_oracles_are_chosen_by_dataset_and_entry_point(string id, string entry, EvalPlusOracle expected) =>
        Assert.Equal(expected, EvalPlusFormat.OracleFor(id, entry));
}
