using System.Text.Json;
using Crucible.Judge;

namespace Crucible.Curation.Tests;

public sealed class DecontaminateTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string EvalStatement =
        "Given a list of integers nums and an integer target, return the indices of the two numbers such that they add up to target. " +
        "You may assume that each input would have exactly one solution, and you may not use the same element twice.";

    private const string EvalSolution =
        "def two_sum(nums, target):\n    seen = {}\n    for i, x in enumerate(nums):\n        if target - x in seen:\n            return [seen[target - x], i]\n        seen[x] = i\n";

    private string EvalSet() => _dir.Write("heldout.jsonl", string.Join("\n",
        JsonSerializer.Serialize(new { task_id = "Eval/1", prompt = EvalStatement, canonical_solution = EvalSolution, test = "def check(candidate):\n    assert candidate([2, 7], 9) == [0, 1]\n", entry_point = "two_sum" }),
        JsonSerializer.Serialize(new { task_id = "Eval/2", prompt = "Return the number of vowels in the string s, counting a, e, i, o and u in either case, for any string of at most ten thousand characters.", canonical_solution = "    return sum(c in 'aeiouAEIOU' for c in s)\n", test = "def check(candidate):\n    assert candidate('a') == 1\n", entry_point = "f" })));

    [Fact]
    public async Task A_test_set_problem_pasted_with_small_edits_is_contaminated_and_the_pair_is_reported()
    {
        var edited = "You are given a list of integers nums and an integer target: return the indices of the two numbers such that they add up to the target. " +
                     "You may assume that each input would have exactly one answer, and you may not use the same element twice. Good luck!";
        var pasted = Problems.Sum("pasted", statement: edited);
        var clean = Problems.Sum("clean", statement: "Given a grid of characters, count the connected regions of equal letters, where cells are connected through shared edges only.");
        var stage = new DecontaminateStage(new DecontaminateOptions { EvalSets = [EvalSet()] });

        var outcome = await stage.RunAsync([pasted, clean], Problems.Context(_dir), TestContext.Current.CancellationToken);

        Assert.Equal(["d:clean"], outcome.Kept.Select(k => k.Key));
        var drop = Problems.Decision(outcome, "d:pasted");
        Assert.Equal("contaminated (statement)", drop.Reason);
        Assert.Contains("Eval/1 of heldout", drop.Detail);
        var pair = JsonDocument.Parse(Assert.Single(await File.ReadAllLinesAsync(Path.Combine(_dir.Path, "contamination.jsonl"), TestContext.Current.CancellationToken))).RootElement;
        Assert.Equal("d:pasted", pair.GetProperty("train").GetString());
        Assert.Equal("Eval/1", pair.GetProperty("eval_id").GetString());
        Assert.True(pair.GetProperty("overlap").GetDouble() >= 0.3);
        Assert.True(pair.GetProperty("shared_ngrams").GetInt32() >= 2);
    }

    [Fact]
    public async Task A_reference_solution_copied_from_the_test_set_is_contaminated_even_with_a_new_statement()
    {
        var copied = Problems.Item(new Problem
        {
            Id = "renamed", Statement = "Find two positions whose values add up to a goal value and return them.",
            Tests = [new StdioTest("1\n", "1\n")],
            References = [new ReferenceSolution("python", "# my solution\n" + EvalSolution.Replace("seen", "seen") + "\nprint(two_sum([1, 2], 3))\n")],
        });
        var stage = new DecontaminateStage(new DecontaminateOptions { EvalSets = [EvalSet()] });

        var outcome = await stage.RunAsync([copied], Problems.Context(_dir), TestContext.Current.CancellationToken);

        Assert.Empty(outcome.Kept);
        Assert.Equal("contaminated (code)", Problems.Decision(outcome, "d:renamed").Reason);
    }
}
