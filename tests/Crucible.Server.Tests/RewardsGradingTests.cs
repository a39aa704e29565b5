using System.Text.Json;

namespace Crucible.Server.Tests;

/// <summary>
/// /v1/rewards grades each item as its trainer's own reward code would: test types as every ecosystem writes them,
/// comparison and limits chosen by data_source (overridable), wrong-language answers scored 0.
/// </summary>
[Collection("server")]
public sealed class RewardsGradingTests(ServerFixture fx)
{
    private TestServer S => fx.Server;

    private static string Fenced(string code, string lang = "python") => $"Here it is.\n```{lang}\n{code}\n```";

    private async Task<List<JsonElement>> ScoreAsync(object request)
    {
        var (status, body, _) = await S.PostRawAsync("v1/rewards", JsonSerializer.Serialize(request));
        Assert.True(status == 200, $"{status}: {body}");
        return body.GetProperty("results").EnumerateArray().ToList();
    }

    [Fact]
    public async Task DeepCoderPreparedRowsWithStdinStdoutTestTypeAreScored()
    {
        // What rllm's DeepCoder preparation writes for TACO rows: testtype "stdin_stdout", metadata.func_name null.
        var truth = JsonSerializer.Serialize(new[]
        {
            new { input = "1 2\n", output = "3\n", testtype = "stdin_stdout", metadata = new { func_name = (string?)null } },
            new { input = "5 6\n", output = "11\n", testtype = "stdin_stdout", metadata = new { func_name = (string?)null } },
        });
        var r = await ScoreAsync(new
        {
            items = new[]
            {
                new { data_source = "livecodebench", solution_str = Fenced("a, b = map(int, input().split())\nprint(a + b)"), ground_truth = truth },
                new { data_source = "livecodebench", solution_str = Fenced("print(3)"), ground_truth = truth },
            },
        });
        Assert.Equal("scored", r[0].GetProperty("status").GetString());
        Assert.Equal(1.0, r[0].GetProperty("score").GetDouble());
        Assert.Equal(0.0, r[1].GetProperty("score").GetDouble());
    }

    private static readonly string HalfTruth = JsonSerializer.Serialize(new[] { new { input = "1 2\n", output = "0.500000\n", testtype = "stdin" } });
    private static readonly string Half = Fenced("a, b = map(int, input().split())\nprint(a / b)");

    [Fact]
    public async Task DataSourceChoosesTheComparisonAndTheRequestOverridesIt()
    {
        object Item(string source) => new { data_source = source, solution_str = Half, ground_truth = HalfTruth };
        var r = await ScoreAsync(new { items = new[] { Item("livecodebench"), Item("LiveCodeBench/release_v5"), Item("some_unknown_source") } });
        // LiveCodeBench compares numbers by value: 0.5 == 0.500000, as crucible eval's LiveCodeBench preset does.
        Assert.Equal(1.0, r[0].GetProperty("score").GetDouble());
        Assert.Equal("livecodebench", r[0].GetProperty("grading").GetString());
        Assert.Equal(1.0, r[1].GetProperty("score").GetDouble());
        // No rule for an unknown source: the judge's default (tokens, exact) applies.
        Assert.Equal(0.0, r[2].GetProperty("score").GetDouble());
        Assert.Equal(JsonValueKind.Null, r[2].GetProperty("grading").ValueKind);

        var overridden = await ScoreAsync(new { items = new[] { Item("livecodebench") }, comparison = new { preset = "default" } });
        Assert.Equal(0.0, overridden[0].GetProperty("score").GetDouble());
        var byPreset = await ScoreAsync(new { items = new[] { Item("unknown") }, comparison = new { preset = "livecodebench" } });
        Assert.Equal(1.0, byPreset[0].GetProperty("score").GetDouble());
        var off = await ScoreAsync(new { items = new[] { Item("livecodebench") }, data_source_rules = false });
        Assert.Equal(0.0, off[0].GetProperty("score").GetDouble());
        Assert.Equal(JsonValueKind.Null, off[0].GetProperty("grading").ValueKind);
    }

    [Fact]
    public async Task JudgeWithGroundTruthAppliesTheDataSourcesRule()
    {
        object Request(string? source) => new { language = "python", code = "a, b = map(int, input().split())\nprint(a / b)", ground_truth = HalfTruth, data_source = source };
        var (_, graded, _) = await S.PostRawAsync("v1/judge", JsonSerializer.Serialize(Request("livecodebench")));
        Assert.Equal("Passed", graded.GetProperty("outcome").GetString());
        var (_, plain, _) = await S.PostRawAsync("v1/judge", JsonSerializer.Serialize(Request(null)));
        Assert.Equal("WrongAnswer", plain.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task AnUnknownComparisonPresetIsA422NamingTheField()
    {
        var (status, body, _) = await S.PostRawAsync("v1/rewards", JsonSerializer.Serialize(new
        {
            items = new[] { new { data_source = "livecodebench", solution_str = Half, ground_truth = HalfTruth } },
            comparison = new { preset = "fuzzy" },
        }));
        Assert.Equal(422, status);
        Assert.Equal("comparison.preset", body.GetProperty("error").GetProperty("field").GetString());
    }

    [Fact]
    public async Task AnAnswerInAnotherLanguageForAPythonOnlyItemIsAWrongAnswer()
    {
        var truth = JsonSerializer.Serialize(new[] { new { input = "2", output = "4", testtype = "functional", metadata = new { func_name = "double" } } });
        var cpp = Fenced("int twice(int x) { return 2 * x; }", "cpp");
        var js = Fenced("function double(x) { return 2 * x; }", "javascript");
        var py = Fenced("def double(x):\n    return 2 * x");
        var (status, body, _) = await S.PostRawAsync("v1/rewards", JsonSerializer.Serialize(new
        {
            items = new[] { cpp, js, py }.Select(s => new { data_source = "livecodebench", solution_str = s, ground_truth = truth }),
        }));
        Assert.Equal(200, status);
        var r = body.GetProperty("results").EnumerateArray().ToList();
        foreach (var wrong in r.Take(2))
        {
            Assert.Equal("scored", wrong.GetProperty("status").GetString());
            Assert.Equal(0.0, wrong.GetProperty("score").GetDouble());
            Assert.Equal("WrongLanguage", wrong.GetProperty("outcome").GetString());
        }
        Assert.Equal(1.0, r[2].GetProperty("score").GetDouble());
        // Scored, so it counts in the mean the trainer logs.
        Assert.Equal(3, body.GetProperty("summary").GetProperty("scored").GetInt32());
        Assert.Equal(0, body.GetProperty("summary").GetProperty("invalid").GetInt32());
    }

    [Fact]
    public async Task LeetCodeStyleSolutionsHaveTheDatasetsPrelude()
    {
        // rllm's LeetCode rows: {"functional": check script + check(Solution().method)}; solutions use List, Optional,
        // ListNode and TreeNode without defining or importing them, and the check builds inputs with list_node/tree_node.
        var functional = "def check(candidate):\n" +
                         "    assert candidate(nums = [2,7,11,15], target = 9) == [0,1]\n" +
                         "    assert candidate(nums = [3,2,4], target = 6) == [1,2]\n\n" +
                         "check(Solution().twoSum)";
        var twoSum = "class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n" +
                     "        seen: Dict[int, int] = {}\n        for i, x in enumerate(nums):\n" +
                     "            if target - x in seen:\n                return [seen[target - x], i]\n            seen[x] = i\n        return []";
        var lists = "def check(candidate):\n" +
                    "    assert is_same_list(candidate(head = list_node([1,2,3])), list_node([3,2,1]))\n" +
                    "    assert is_same_list(candidate(head = list_node([])), list_node([]))\n\n" +
                    "check(Solution().reverseList)";
        var reverse = "class Solution:\n    def reverseList(self, head: Optional[ListNode]) -> Optional[ListNode]:\n" +
                      "        prev = None\n        while head:\n            head.next, prev, head = prev, head, head.next\n        return prev";
        var trees = "def check(candidate):\n" +
                    "    assert candidate(root = tree_node([3,9,20,None,None,15,7])) == 3\n" +
                    "    assert is_same_tree(tree_node([1,None,2]), tree_node([1,None,2]))\n\n" +
                    "check(Solution().maxDepth)";
        var depth = "class Solution:\n    def maxDepth(self, root: Optional[TreeNode]) -> int:\n" +
                    "        return 0 if root is None else 1 + max(self.maxDepth(root.left), self.maxDepth(root.right))";
        var cyclic = "class Solution:\n    def reverseList(self, head):\n        n = ListNode(1)\n        n.next = n\n        return n";
        var r = await ScoreAsync(new
        {
            items = new[]
            {
                new { data_source = "leetcode", solution_str = Fenced(twoSum), ground_truth = JsonSerializer.Serialize(new { functional }) },
                new { data_source = "leetcode", solution_str = Fenced(reverse), ground_truth = JsonSerializer.Serialize(new { functional = lists }) },
                new { data_source = "leetcode", solution_str = Fenced(depth), ground_truth = JsonSerializer.Serialize(new { functional = trees }) },
                new { data_source = "leetcode", solution_str = Fenced(reverse.Replace("return prev", "return head")), ground_truth = JsonSerializer.Serialize(new { functional = lists }) },
                // A cyclic list cannot cross as values: a wrong answer, never an infrastructure error (a reward hack).
                new { data_source = "leetcode", solution_str = Fenced(cyclic), ground_truth = JsonSerializer.Serialize(new { functional = lists }) },
            },
        });
        for (var i = 0; i < 3; i++)
            Assert.True(r[i].GetProperty("score").GetDouble() == 1.0, $"item {i}: {r[i]}");
        foreach (var wrong in r.Skip(3))
        {
            Assert.True(wrong.GetProperty("status").GetString() == "scored", wrong.ToString());
            Assert.Equal(0.0, wrong.GetProperty("score").GetDouble());
        }
    }
}
