namespace Crucible.Judge.Tests;

/// <summary>Each test kind passing and failing for the right reason.</summary>
public sealed class TestKindTests(JudgeFixture f)
{
    private const string AddProgram = "a, b = map(int, input().split())\nprint(a + b)\n";

    [Fact]
    public async Task PythonStdioPassesAndFails()
    {
        var p = JudgeFixture.Problem(new StdioTest("1 2\n", "3\n"), new StdioTest("10 -4\n", "6\n"));
        var ok = await f.JudgeAsync(p, AddProgram);
        Assert.Equal(TestOutcome.Passed, ok.Outcome);
        Assert.Equal(1.0, ok.PassFraction);

        var wrong = await f.JudgeAsync(p, AddProgram.Replace("a + b", "a - b"));
        Assert.Equal(TestOutcome.WrongAnswer, wrong.Outcome);
        Assert.Contains("expected \"3\", got \"-1\"", wrong.Tests[0].Message);

        var crash = await f.JudgeAsync(p, "raise ValueError('boom')\n");
        Assert.Equal(TestOutcome.RuntimeError, crash.Outcome);
        Assert.Contains("ValueError: boom", crash.Tests[0].Message);

        var slow = await f.JudgeAsync(p, "while True:\n    pass\n", options: new JudgeOptions { CpuTimePerTestOverride = TimeSpan.FromMilliseconds(300) });
        Assert.Equal(TestOutcome.TimeLimitExceeded, slow.Outcome);
    }

    [Fact]
    public async Task CppStdioCompilesOnceAndJudgesEveryTest()
    {
        f.RequireLanguage("cpp");
        var p = JudgeFixture.Problem(new StdioTest("1 2\n", "3\n"), new StdioTest("2 2\n", "4\n"), new StdioTest("0 0\n", "0\n"));
        var cpp = "#include <cstdio>\nint main(){long a,b; std::scanf(\"%ld %ld\",&a,&b); std::printf(\"%ld\\n\", a+b);}\n";
        var ok = await f.JudgeAsync(p, cpp, "cpp");
        Assert.Equal(TestOutcome.Passed, ok.Outcome);
        Assert.Equal(3, ok.PassedTests);

        var wrong = await f.JudgeAsync(p, cpp.Replace("a+b", "a*b"), "cpp");
        Assert.Equal(TestOutcome.WrongAnswer, wrong.Outcome);
        Assert.Equal([TestOutcome.WrongAnswer, TestOutcome.Passed, TestOutcome.Passed], wrong.Tests.Select(t => t.Outcome));

        var broken = await f.JudgeAsync(p, "int main( {", "cpp");
        Assert.Equal(TestOutcome.CompileError, broken.Outcome);
        Assert.All(broken.Tests, t => Assert.Equal(TestOutcome.CompileError, t.Outcome));
        Assert.False(broken.IsInfrastructureError);
    }

    [Fact]
    public async Task FunctionCallPassesAndFails()
    {
        var p = JudgeFixture.Problem(
            new FunctionCallTest("sort_desc", "[[3, 1, 2]]", "[3, 2, 1]"),
            new FunctionCallTest("sort_desc", "[[]]", "[]"),
            new FunctionCallTest("sort_desc", "[[5, 5, 1]]", "[5, 5, 1]"));
        var ok = await f.JudgeAsync(p, "def sort_desc(xs):\n    return sorted(xs, reverse=True)\n");
        Assert.Equal(TestOutcome.Passed, ok.Outcome);

        var wrong = await f.JudgeAsync(p, "def sort_desc(xs):\n    return sorted(xs)\n");
        Assert.Equal([TestOutcome.WrongAnswer, TestOutcome.Passed, TestOutcome.WrongAnswer], wrong.Tests.Select(t => t.Outcome));
        Assert.Contains("returned [1, 2, 3], expected [3, 2, 1]", wrong.Tests[0].Message);

        var raises = await f.JudgeAsync(p, "def sort_desc(xs):\n    return xs[0]\n");
        Assert.Equal(TestOutcome.RuntimeError, raises.Tests[1].Outcome);
        Assert.Contains("IndexError", raises.Tests[1].Message);

        var missing = await f.JudgeAsync(p, "def other(xs):\n    return xs\n");
        Assert.All(missing.Tests, t => Assert.Equal(TestOutcome.RuntimeError, t.Outcome));
        Assert.Contains("not defined", missing.Tests[0].Message);

        var syntax = await f.JudgeAsync(p, "def sort_desc(xs)\n    return xs\n");
        Assert.Equal(TestOutcome.CompileError, syntax.Outcome);
    }

    // One batch whose consecutive tests differ in every field the request shares between tests (function, class,
    // EvalPlus's not-None rule, typed arguments): each test must still be called its own way.
    [Fact]
    public async Task A_batch_mixing_functions_classes_and_argument_forms_calls_each_test_its_own_way()
    {
        f.RequireLanguage("python");
        var p = JudgeFixture.Problem(
            new FunctionCallTest("inc", "[1]", "2"),
            new FunctionCallTest("inc", "[2]", "3"),
            new FunctionCallTest("twice", "[\"ab\"]", "\"abab\""),
            new FunctionCallTest("size", "[{\"$set\": [1, 2, 3]}]", "3"),
            new FunctionCallTest("scale", "[4]", "40") { ClassName = "Calc" },
            new FunctionCallTest("find", "[5]", "true") { EvalPlus = new EvalPlusCheck { Oracle = EvalPlusOracle.NotNone } },
            new FunctionCallTest("find", "[-1]", "false") { EvalPlus = new EvalPlusCheck { Oracle = EvalPlusOracle.NotNone } },
            new FunctionCallTest("inc", "[9]", "10"));
        const string code = """
            def inc(x):
                return x + 1
            def twice(s):
                return s * 2
            def size(xs):
                assert type(xs) is set
                return len(xs)
            class Calc:
                def __init__(self):
                    self.k = 10
                def scale(self, x):
                    return self.k * x
            def find(x):
                return [x] if x > 0 else None
            """;
        var r = await f.JudgeAsync(p, code);
        Assert.True(r.Passed, string.Join("; ", r.Tests.Select(t => $"{t.Outcome} {t.Message}")));
        var wrong = await f.JudgeAsync(p, code.Replace("return self.k * x", "return x"));
        Assert.Equal(TestOutcome.WrongAnswer, wrong.Tests[4].Outcome);
        Assert.All(wrong.Tests.Where(t => t.Index != 4), t => Assert.Equal(TestOutcome.Passed, t.Outcome));
    }

    [Fact]
    public async Task LeetCodeStyleSolutionClassWithPrelude()
    {
        // LiveCodeBench functional tests: arguments as newline-separated JSON, a `class Solution`, typing names unimported.
        var tests = GroundTruth.Parse("""
            [{"input": "[2, 7, 11, 15]\n9", "output": "[0, 1]", "testtype": "functional"},
             {"input": "[3, 3]\n6", "output": "[0, 1]", "testtype": "functional"}]
            """, "twoSum");
        var p = JudgeFixture.Problem([.. tests]) with { Comparison = ComparisonOptions.LiveCodeBench };
        var code = """
            class Solution:
                def twoSum(self, nums: List[int], target: int) -> List[int]:
                    seen = defaultdict(int)
                    for i, x in enumerate(nums):
                        if target - x in seen:
                            return (seen[target - x], i)
                        seen[x] = i
            """;
        var ok = await f.JudgeAsync(p, code);
        Assert.Equal(TestOutcome.Passed, ok.Outcome); // a returned tuple is read as a list at the top level

        var noPrelude = await f.JudgeAsync(p, code, options: new JudgeOptions { PythonPrelude = null });
        Assert.Equal(TestOutcome.RuntimeError, noPrelude.Outcome);
        Assert.Contains("NameError", noPrelude.Tests[0].Message);
    }

    private const string HumanEvalPrompt = "from typing import List\n\n\ndef below_zero(operations: List[int]) -> bool:\n    \"\"\" True when the running balance drops below zero. \"\"\"\n";
    private const string HumanEvalTest = """

        METADATA = {'author': 'crucible'}


        def check(candidate):
            assert candidate([]) == False
            assert candidate([1, 2, -3, 1, 2, -3]) == False
            assert candidate([1, 2, -4, 5, 6]) == True
            for n in range(1, 6):
                assert candidate([-n]) is True
        """;

    [Fact]
    public async Task HumanEvalCompletionWithPromptPrepended()
    {
        var p = JudgeFixture.Problem(new AssertionTest(HumanEvalTest)) with { Prompt = HumanEvalPrompt, EntryPoint = "below_zero" };
        var completion = "    balance = 0\n    for op in operations:\n        balance += op\n        if balance < 0:\n            return True\n    return False\n";
        var ok = await f.JudgeAsync(p, completion);
        Assert.Equal(TestOutcome.Passed, ok.Outcome);

        var wrong = await f.JudgeAsync(p, "    return sum(operations) < 0\n");
        Assert.Equal(TestOutcome.WrongAnswer, wrong.Outcome);
        Assert.Contains("candidate([1, 2, -4, 5, 6]) == True", wrong.Tests[0].Message);

        // A full function (not a completion) is not prefixed with the prompt.
        var full = await f.JudgeAsync(p, "def below_zero(ops):\n    s = 0\n    for o in ops:\n        s += o\n        if s < 0:\n            return True\n    return False\n");
        Assert.Equal(TestOutcome.Passed, full.Outcome);

        var raises = await f.JudgeAsync(p, "    raise KeyError('nope')\n");
        Assert.Equal(TestOutcome.RuntimeError, raises.Outcome);
        Assert.Contains("KeyError", raises.Tests[0].Message);
    }

    [Fact]
    public async Task MbppAssertListWithSetupAndHelperClasses()
    {
        var tests = GroundTruth.Parse("""
            {"test_list": ["assert max_chain([Pair(5, 24), Pair(15, 25), Pair(27, 40), Pair(50, 60)], 4) == 3",
                           "assert math.isclose(area(2), 12.566, rel_tol=1e-3)",
                           "assert remove_odd([1, 2, 3, 4]) == [2, 4]"],
             "test_setup_code": "import math"}
            """);
        var p = JudgeFixture.Problem([.. tests]);
        var code = """
            import math
            class Pair:
                def __init__(self, a, b):
                    self.a, self.b = a, b
            def max_chain(pairs, n):
                pairs = sorted(pairs, key=lambda p: p.b)
                count, end = 0, -math.inf
                for p in pairs:
                    if p.a > end:
                        count, end = count + 1, p.b
                return count
            def area(r):
                return math.pi * r * r
            def remove_odd(xs):
                return [x for x in xs if x % 2 == 0]
            """;
        var ok = await f.JudgeAsync(p, code);
        Assert.Equal(TestOutcome.Passed, ok.Outcome);
        Assert.Equal(3, ok.PassedTests);

        var partly = await f.JudgeAsync(p, code.Replace("x % 2 == 0", "x % 2 == 1"));
        Assert.Equal([TestOutcome.Passed, TestOutcome.Passed, TestOutcome.WrongAnswer], partly.Tests.Select(t => t.Outcome));
    }

    [Fact]
    public async Task InPlaceMutationIsSeenByTheCheck()
    {
        var p = JudgeFixture.Problem(new AssertionTest("xs = [3, 1, 2]\nsort_in_place(xs)\nassert xs == [1, 2, 3]\n"));
        Assert.Equal(TestOutcome.Passed, (await f.JudgeAsync(p, "def sort_in_place(a):\n    a.sort()\n")).Outcome);
        Assert.Equal(TestOutcome.WrongAnswer, (await f.JudgeAsync(p, "def sort_in_place(a):\n    return sorted(a)\n")).Outcome);
    }

    [Fact]
    public async Task PytestStyleTestFunctions()
    {
        var p = JudgeFixture.Problem(new AssertionTest("from solution import double\n\ndef test_small():\n    assert double(2) == 4\n\ndef test_big():\n    assert double(10**20) == 2 * 10**20\n"));
        Assert.Equal(TestOutcome.Passed, (await f.JudgeAsync(p, "def double(x):\n    return x * 2\n")).Outcome);
        Assert.Equal(TestOutcome.WrongAnswer, (await f.JudgeAsync(p, "def double(x):\n    return x + 2\n")).Outcome);
    }

    private const string TokenChecker = """
        #include <fstream>
        #include <cmath>
        // Accepts any output whose single number is within 1e-3 of the answer; 2 (presentation) for no number.
        int main(int argc, char** argv) {
            std::ifstream out(argv[2]), ans(argv[3]);
            double x, y;
            if (!(out >> x)) return 2;
            ans >> y;
            return std::fabs(x - y) <= 1e-3 ? 0 : 1;
        }
        """;

    [Fact]
    public async Task CheckerAcceptsRejectsAndReportsPresentationErrors()
    {
        f.RequireLanguage("cpp");
        var p = JudgeFixture.Problem(new CheckerTest("2\n", "1.41421356\n", TokenChecker, "cpp"), new CheckerTest("9\n", "3\n", TokenChecker, "cpp"));
        var ok = await f.JudgeAsync(p, "import math\nprint(round(math.sqrt(int(input())), 4))\n");
        Assert.Equal(TestOutcome.Passed, ok.Outcome);

        var wrong = await f.JudgeAsync(p, "print(int(input()) / 2)\n");
        Assert.Equal(TestOutcome.WrongAnswer, wrong.Outcome);
        Assert.Contains("checker exit 1", wrong.Tests[0].Message);

        var empty = await f.JudgeAsync(p, "pass\n");
        Assert.Equal(TestOutcome.WrongAnswer, empty.Outcome);
        Assert.Contains("presentation error", empty.Tests[0].Message);
    }

    [Fact]
    public async Task StopAtFirstFailureSkipsLaterTests()
    {
        var p = JudgeFixture.Problem(
            new FunctionCallTest("f", "[1]", "1"),
            new FunctionCallTest("f", "[2]", "2"),
            new FunctionCallTest("f", "[3]", "3"),
            new StdioTest("", "x"));
        var r = await f.JudgeAsync(p, "def f(x):\n    return 1\n", options: new JudgeOptions { StopAtFirstFailure = true });
        Assert.Equal(TestOutcome.WrongAnswer, r.Outcome);
        Assert.Equal([TestOutcome.Passed, TestOutcome.WrongAnswer, TestOutcome.Skipped, TestOutcome.Skipped], r.Tests.Select(t => t.Outcome));

        var full = await f.JudgeAsync(p, "def f(x):\n    return 1\n");
        Assert.Equal([TestOutcome.Passed, TestOutcome.WrongAnswer, TestOutcome.WrongAnswer, TestOutcome.WrongAnswer], full.Tests.Select(t => t.Outcome));
    }

    [Fact]
    public async Task NumpyValuesAreReadAsBuiltins()
    {
        var p = JudgeFixture.Problem(
            new FunctionCallTest("stats", "[[1, 2, 3, 4]]", "[2.5, 10, [2, 4, 6, 8], true]"));
        var code = "import numpy as np\ndef stats(xs):\n    a = np.array(xs)\n    return [np.mean(a), np.int64(a.sum()), a * 2, np.bool_(True)]\n";
        var r = await f.JudgeAsync(p, code);
        Assert.Equal(TestOutcome.Passed, r.Outcome);
    }

    [Fact]
    public async Task MixedKindsInOnePythonProblem()
    {
        // Stdin tests of a Python program that also has function tests run through the harness's script mode.
        var p = JudgeFixture.Problem(
            new StdioTest("4\n", "16\n"),
            new FunctionCallTest("sq", "[5]", "25"),
            new AssertionTest("assert sq(6) == 36"),
            new StdioTest("7\n", "49\n"));
        var code = "import sys\ndef sq(x):\n    return x * x\nif __name__ == '__main__':\n    print(sq(int(sys.stdin.readline())))\n";
        Assert.Equal(TestOutcome.Passed, (await f.JudgeAsync(p, code)).Outcome);
        var wrong = await f.JudgeAsync(p, code.Replace("x * x", "x + x"));
        Assert.All(wrong.Tests, t => Assert.Equal(TestOutcome.WrongAnswer, t.Outcome));
    }

    [Fact]
    public async Task AppsCallBasedGroundTruthEndToEnd()
    {
        // APPS wraps call-based outputs in a list; their grader accepts the bare value too.
        var tests = GroundTruth.Parse("""{"fn_name": "count_vowels", "inputs": [["hello"], ["xyz"]], "outputs": [[2], [0]]}""");
        var p = JudgeFixture.Problem([.. tests]) with { Comparison = ComparisonOptions.Apps };
        Assert.Equal(TestOutcome.Passed, (await f.JudgeAsync(p, "def count_vowels(s):\n    return sum(c in 'aeiou' for c in s)\n")).Outcome);
        Assert.Equal(TestOutcome.WrongAnswer, (await f.JudgeAsync(p, "def count_vowels(s):\n    return len(s)\n")).Outcome);
    }

    [Fact]
    public async Task BadInputIsRejectedBeforeAnythingRuns()
    {
        var calls = JudgeFixture.Problem(new FunctionCallTest("f", "[1]", "1"));
        var e = await Assert.ThrowsAsync<ArgumentException>(() => f.JudgeAsync(calls, "int main(){}", "cpp"));
        Assert.Contains("Submit Python", e.Message);

        var badArgs = JudgeFixture.Problem(new FunctionCallTest("f", "{\"a\": 1}", "1"));
        e = await Assert.ThrowsAsync<ArgumentException>(() => f.JudgeAsync(badArgs, "def f(x): return x"));
        Assert.Contains("test 1", e.Message);
        Assert.Contains("JSON array", e.Message);

        e = await Assert.ThrowsAsync<ArgumentException>(() => f.JudgeAsync(JudgeFixture.Problem(), "print(1)"));
        Assert.Contains("no tests", e.Message);
    }
}
