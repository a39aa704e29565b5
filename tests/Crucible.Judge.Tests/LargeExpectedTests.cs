using System.Text;

namespace Crucible.Judge.Tests;

/// <summary>
/// A return that is the same typed JSON as the expected value is accepted without parsing it (nor a large expected
/// value: HumanEval/130 expects lists of a million floats), and only then; a deferred expected value is read once per test.
/// </summary>
public sealed class LargeExpectedTests(JudgeFixture f)
{
    // 30,000 floats: well past the size the plan parses ahead (64K characters).
    private const string Code = "def f(k):\n    return [float('nan')] * k + [1.5] * 30000\n";
    private static readonly string Floats = string.Join(",", Enumerable.Repeat("1.5", 30_000));

    private static FunctionCallTest Test(string args, string expected) => new("f", args, expected) { EvalPlus = new EvalPlusCheck() };

    [Fact]
    public async Task A_return_with_the_same_bytes_passes_and_is_previewed_from_the_json()
    {
        var r = await f.JudgeAsync(JudgeFixture.Problem(Test("[0]", "[" + Floats + "]")), Code);
        Assert.True(r.Passed, r.Message);
        Assert.StartsWith("[1.5,1.5,", r.Tests[0].ExpectedPreview);
        Assert.Equal(r.Tests[0].ExpectedPreview, r.Tests[0].ActualPreview);
    }

    [Fact]
    public async Task A_nan_is_not_equal_to_itself_even_when_the_bytes_are_the_same()
    {
        // EvalPlus compares out == exp, and then allclose without equal_nan: a NaN answer never passes.
        var r = await f.JudgeAsync(JudgeFixture.Problem(Test("[1]", "[{\"$float\":\"nan\"}," + Floats + "]")), Code);
        Assert.Equal(TestOutcome.WrongAnswer, r.Outcome);
    }

    [Fact]
    public async Task A_large_value_that_differs_in_its_last_byte_is_a_wrong_answer()
    {
        var r = await f.JudgeAsync(JudgeFixture.Problem(Test("[0]", "[" + Floats[..^1] + "6]")), Code);
        Assert.Equal(TestOutcome.WrongAnswer, r.Outcome);
        Assert.Contains("wrong answer: f returned", r.Message);
    }

    [Fact]
    public async Task A_small_return_with_the_same_bytes_passes_and_is_previewed_as_pythons_repr()
    {
        var r = await f.JudgeAsync(JudgeFixture.Problem(Test("[0]", "[1.5,1.5]")), "def f(k):\n    return [1.5, 1.5]\n");
        Assert.True(r.Passed, r.Message);
        Assert.Equal(("[1.5, 1.5]", "[1.5, 1.5]"), (r.Tests[0].ExpectedPreview, r.Tests[0].ActualPreview));
    }

    [Theory]
    [InlineData("def f(k):\n    return [1, 2]\n", "{\"$tuple\":[1,2]}", TestOutcome.WrongAnswer)] // a list is not the tuple asked for
    [InlineData("def f(k):\n    return [float('nan')]\n", "[{\"$float\":\"nan\"}]", TestOutcome.WrongAnswer)] // NaN != NaN
    [InlineData("def f(k):\n    return [1, 2]\n", "[1, 2]", TestOutcome.Passed)] // not the harness's bytes: compared as values
    [InlineData("def f(k):\n    return '\\u00e9'\n", "\"\\u00e9\"", TestOutcome.Passed)]
    public async Task Small_values_that_are_not_the_same_bytes_are_compared_as_values(string code, string expected, TestOutcome outcome)
    {
        var r = await f.JudgeAsync(JudgeFixture.Problem(Test("[0]", expected)), code);
        Assert.Equal(outcome, r.Tests[0].Outcome);
    }

    [Fact]
    public async Task Without_passed_test_previews_only_failures_are_previewed_and_every_verdict_is_the_same()
    {
        // Same bytes (parsed and large), equal as values, wrong, and a large one in memory: previews go with failures only.
        var problem = JudgeFixture.Problem(Test("[0]", "[1.5,1.5]"), Test("[0]", "[1.5, 1.5]"), Test("[0]", "[2.5,1.5]"),
            Test("[1]", "[1.5]"), new FunctionCallTest("f", "[2]", "[" + Floats + "]") { EvalPlus = new EvalPlusCheck() });
        const string code = "def f(k):\n    return [1.5, 1.5] if k < 2 else [1.5] * 30000\n";

        var shown = await f.JudgeAsync(problem, code);
        var lean = await f.JudgeAsync(problem, code, options: JudgeOptions.Default with { PassedTestPreviews = false });

        Assert.Equal([TestOutcome.Passed, TestOutcome.Passed, TestOutcome.WrongAnswer, TestOutcome.WrongAnswer, TestOutcome.Passed], lean.Tests.Select(t => t.Outcome));
        Assert.Equal(shown.Tests.Select(t => (t.Outcome, t.Message)), lean.Tests.Select(t => (t.Outcome, t.Message)));
        Assert.All(shown.Tests, t => Assert.NotNull(t.ExpectedPreview));
        foreach (var i in new[] { 0, 1, 4 })
            Assert.Equal((null, null), (lean.Tests[i].ExpectedPreview, lean.Tests[i].ActualPreview));
        foreach (var i in new[] { 2, 3 })
            Assert.Equal((shown.Tests[i].ExpectedPreview, shown.Tests[i].ActualPreview), (lean.Tests[i].ExpectedPreview, lean.Tests[i].ActualPreview));
    }

    [Fact]
    public async Task A_deferred_expected_value_is_read_once_for_its_digest_and_again_only_to_compare_a_failing_value_whole()
    {
        var right = new CountingJson("[" + Floats + "]");
        var wrong = new CountingJson("[" + Floats + ",2.5]");
        var problem = JudgeFixture.Problem(new FunctionCallTest("f", "[0]", right) { EvalPlus = new EvalPlusCheck() },
            new FunctionCallTest("f", "[0]", wrong) { EvalPlus = new EvalPlusCheck() });

        var r = await f.JudgeAsync(problem, Code);

        Assert.Equal([TestOutcome.Passed, TestOutcome.WrongAnswer], r.Tests.Select(t => t.Outcome));
        // Each read once for its digest; the wrong one, whose digest cannot decide (a list of floats may equal
        // another text), once more when its test runs again alone with the value sent whole.
        Assert.Equal((1, 2), (right.Loads, wrong.Loads));
        Assert.StartsWith("[1.5, 1.5,", r.Tests[1].ExpectedPreview); // parsed, so shown as Python's repr
        // Another sample of the problem: the digests are kept with the tests.
        await f.JudgeAsync(problem, Code);
        Assert.Equal((1, 3), (right.Loads, wrong.Loads));
    }

    [Fact]
    public async Task Correct_answers_past_the_runs_output_limit_pass_in_whole_runs_and_none_is_rerun_alone()
    {
        // 42 MB of answers, one of them 18 MB: past the pool's 16 MB output limit of a run both together and alone.
        // That limit made the 18 MB answer an output-limit failure, and cut the run so that its tests were rerun. Now
        // each answer comes back as its digest, and all take one run.
        const string code = "def f(n):\n    return 'x' * n\n";
        var sizes = new[] { 4_000_000, 4_000_000, 4_000_000, 18_000_000, 4_000_000, 4_000_000, 4_000_000 };
        Assert.True(sizes.Max() > f.Pool.Options.RunLimits.MaxOutputBytes);
        var tests = sizes.Select(n => (TestCase)new FunctionCallTest("f", $"[{n}]", "\"" + new string('x', n) + "\"")).ToArray();
        var r = await f.JudgeAsync(JudgeFixture.Problem(tests), code);
        Assert.True(r.Passed, r.Message);
        Assert.All(r.Tests, t => Assert.True(t.Batched, $"test {t.Index} was run alone: {t.Message}"));
        // A wrong answer many times its expected size comes back as a digest too: a wrong answer, its length named.
        var wrong = await f.JudgeAsync(JudgeFixture.Problem(new FunctionCallTest("f", "[1]", "\"x\"")), "def f(n):\n    return 'y' * 40_000_000\n");
        Assert.Equal(TestOutcome.WrongAnswer, wrong.Outcome);
        Assert.Contains("returned \"yyyy", wrong.Message);
        Assert.Contains("(40000002 characters of JSON)", wrong.Message);
    }

    [Fact]
    public void A_deferred_test_equals_the_same_test_held_in_memory()
    {
        var json = "[" + Floats + "]";
        var deferred = new FunctionCallTest("f", "[0]", new CountingJson(json)) { Name = "a" };
        Assert.Equal(new FunctionCallTest("f", "[0]", json) { Name = "a" }, deferred);
        Assert.NotEqual(new FunctionCallTest("f", "[0]", json + " ") { Name = "a" }, deferred);
        Assert.Equal(json, (deferred with { Name = "b" }).ExpectedJson);
        Assert.False((deferred with { ExpectedJson = "1" }).ExpectedIsDeferred);
    }

    private sealed class CountingJson(string json) : DeferredJson
    {
        private int _loads;
        public int Loads => _loads;
        public override long Utf8Length => Encoding.UTF8.GetByteCount(json);
        public override char First => json[0];

        public override byte[] LoadUtf8()
        {
            Interlocked.Increment(ref _loads);
            return Encoding.UTF8.GetBytes(json);
        }
    }
}
