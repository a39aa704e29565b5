namespace Crucible.Judge.Tests;

/// <summary>
/// Returned values over 64K characters of JSON come back as digests, so a split of large answers runs in one process
/// as EvalPlus runs it (state carries from call to call), and the host decides from the digest or, where it cannot,
/// from the value sent whole in another run.
/// </summary>
public sealed class DigestedResultTests(JudgeFixture f)
{
    private static string Str(char c, int n) => "\"" + new string(c, n) + "\"";

    [Fact]
    public async Task A_split_with_more_large_answers_than_a_run_held_whole_runs_in_one_process_so_state_carries_over()
    {
        // 12 answers of 3 MB: 36 MB, past the 32 MiB of answers a run held whole. Held whole, tests 9-12 went to a
        // second process, where the counter started again at 0, and the solution passed every test.
        const string code = "calls = 0\ndef f(n):\n    global calls\n    calls += 1\n    return ('x' if calls <= 10 else 'y') * n\n";
        var tests = Enumerable.Range(0, 12).Select(_ => (TestCase)new FunctionCallTest("f", "[3000000]", Str('x', 3_000_000)) { EvalPlus = new EvalPlusCheck() }).ToArray();

        var r = await f.JudgeAsync(JudgeFixture.Problem(tests), code, options: JudgeOptions.Default with { StopAtFirstFailure = false });

        Assert.Equal(Enumerable.Repeat(TestOutcome.Passed, 10).Concat([TestOutcome.WrongAnswer, TestOutcome.WrongAnswer]), r.Tests.Select(t => t.Outcome));
        Assert.All(r.Tests, t => Assert.True(t.Batched, $"test {t.Index} was run alone: {t.Message}"));
        Assert.Contains("returned \"yyyy", r.Tests[10].Message);
        Assert.Contains("(3000002 characters of JSON), expected \"xxxx", r.Tests[10].Message);
    }

    [Fact]
    public async Task A_str_the_dataset_writes_in_other_escapes_is_compared_as_the_same_characters()
    {
        // The dataset writes é as UTF-8, the harness as \u00e9: different text, and still the same str.
        var expected = Str('é', 40_000);
        var problem = JudgeFixture.Problem(new FunctionCallTest("f", "[0]", expected), new FunctionCallTest("f", "[1]", expected));

        var r = await f.JudgeAsync(problem, "def f(k):\n    return 'é' * (40000 - k) + 'e' * k\n");

        Assert.Equal([TestOutcome.Passed, TestOutcome.WrongAnswer], r.Tests.Select(t => t.Outcome));
        Assert.All(r.Tests, t => Assert.True(t.Batched, $"test {t.Index} was run alone: {t.Message}"));
        Assert.StartsWith("\"\\u00e9\\u00e9", r.Tests[1].ActualPreview);
    }

    [Fact]
    public async Task A_large_value_equal_in_another_text_is_compared_whole_in_a_run_again()
    {
        // [1.0, …] == [1, …] in Python: the digests differ, the values do not.
        var ints = "[" + string.Join(",", Enumerable.Repeat("1", 30_000)) + "]";
        var problem = JudgeFixture.Problem(new FunctionCallTest("f", "[0]", ints) { EvalPlus = new EvalPlusCheck() },
            new FunctionCallTest("f", "[1]", ints) { EvalPlus = new EvalPlusCheck() });

        var r = await f.JudgeAsync(problem, "def f(k):\n    return [1.0] * 30000 if k == 0 else [1] * 29999 + [2]\n", options: JudgeOptions.Default with { StopAtFirstFailure = false });

        Assert.Equal([TestOutcome.Passed, TestOutcome.WrongAnswer], r.Tests.Select(t => t.Outcome));
        Assert.Contains("wrong answer: f returned [1,1,", r.Tests[1].Message);
    }

    [Fact]
    public async Task Any_value_passes_the_any_value_oracle_and_a_special_oracle_gets_the_value_whole()
    {
        var big = "[" + string.Join(",", Enumerable.Repeat("2", 40_000)) + "]";
        var problem = JudgeFixture.Problem(
            new FunctionCallTest("f", "[0]", big) { EvalPlus = new EvalPlusCheck { Oracle = EvalPlusOracle.AnyValue } },
            new FunctionCallTest("f", "[0]", big) { EvalPlus = new EvalPlusCheck { Oracle = EvalPlusOracle.SetEquality } });

        // The same items in another order: a set oracle accepts them, and only from the value itself.
        var r = await f.JudgeAsync(problem, "def f(k):\n    return [3] + [2] * 39999\n");

        Assert.Equal(TestOutcome.Passed, r.Tests[0].Outcome);
        Assert.Equal(TestOutcome.WrongAnswer, r.Tests[1].Outcome); // {2, 3} != {2}
        var same = await f.JudgeAsync(problem, "def f(k):\n    return [2] * 40000\n");
        Assert.True(same.Passed, same.Message);
    }
}
