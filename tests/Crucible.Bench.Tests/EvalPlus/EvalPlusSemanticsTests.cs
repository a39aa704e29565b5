using System.Text.Json;
using Crucible.Judge;
using static Crucible.Bench.Tests.EvalPlusHarness;

namespace Crucible.Bench.Tests;

/// <summary>
/// Each class of EvalPlus semantics on a small dataset of our own, judged end to end in the sandbox: the verdicts must
/// be the ones EvalPlus's evaluate gives (under <see cref="Grader.EvalPlus"/>) and the strict ones where they differ.
/// </summary>
[Collection("sandbox")]
public sealed class EvalPlusSemanticsTests(SandboxFixture sandbox) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private EvalPlusHarness Harness => new(sandbox, _dir);

    [Fact]
    public async Task Mbpp_tuple_arguments_reach_the_solution_as_tuples()
    {
        sandbox.RequireLanguage("python");
        // Mbpp/2 rebuilds each argument as a tuple and compares answers as sets.
        var data = Task("Mbpp/2", "", "similar_elements", "def similar_elements(a, b):\n    return tuple(set(a) & set(b))\n",
            [new object[] { new[] { 3, 4, 5 }, new[] { 5, 4, 9 } }], new[] { new object[] { new[] { 1, 2 }, new[] { 2, 7 } } });
        var (_, run, _) = await Harness.RunAsync(data, [
            Solution("Mbpp/2", "def similar_elements(a, b):\n    assert type(a) is tuple\n    return tuple(sorted({a: 1}[a] and set(a) & set(b)))\n"), // hashes the tuple
            Solution("Mbpp/2", "def similar_elements(a, b):\n    return [x for x in b if x in a]\n"),  // a list in another order: set-equal
            Solution("Mbpp/2", "def similar_elements(a, b):\n    return (a[0],)\n"),
        ]);

        Assert.Equal((EvalPlusSplits.Pass, EvalPlusSplits.Pass), Statuses(run, 0));
        Assert.Equal((EvalPlusSplits.Pass, EvalPlusSplits.Pass), Statuses(run, 1));
        Assert.Equal((EvalPlusSplits.Fail, EvalPlusSplits.Fail), Statuses(run, 2));
    }

    [Fact]
    public async Task Special_oracles_find_zero_sum_div_and_surface_area_accept_what_EvalPlus_accepts()
    {
        sandbox.RequireLanguage("python");
        var findZero = Task("HumanEval/32", "import math\n\ndef poly(xs, x):\n    return sum(c * math.pow(x, i) for i, c in enumerate(xs))\n\n", "find_zero",
            "def find_zero(xs):\n    lo, hi = -1000.0, 1000.0\n    for _ in range(200):\n        mid = (lo + hi) / 2\n        if poly(xs, lo) * poly(xs, mid) <= 0: hi = mid\n        else: lo = mid\n    return lo\n",
            [new object[] { new[] { -6, 11, -6, 1 } }], Array.Empty<object>(), atol: 1e-6);
        var sumDiv = Task("Mbpp/295", "", "sum_div", "def sum_div(n):\n    return sum(i for i in range(1, n) if n % i == 0)\n",
            [new object[] { 8 }, new object[] { 12 }], new[] { new object[] { 1 } });
        var (_, run, _) = await Harness.RunAsync(findZero + "\n" + sumDiv, [
            Solution("HumanEval/32", "def find_zero(xs):\n    return 3.0\n"),  // another root of (x-1)(x-2)(x-3): accepted
            Solution("HumanEval/32", "def find_zero(xs):\n    return 2.5\n"),
            Solution("Mbpp/295", "def sum_div(n):\n    return 0\n"),           // EvalPlus also accepts 0
            Solution("Mbpp/295", "def sum_div(n):\n    return 1\n"),
            // The oracle reads the arguments after the call, as EvalPlus's does: 3.0 is no root of the reversed list.
            Solution("HumanEval/32", "def find_zero(xs):\n    xs.reverse()\n    return 3.0\n"),
        ], grader: Grader.EvalPlus);

        Assert.Equal((EvalPlusSplits.Pass, EvalPlusSplits.Pass), Statuses(run, 0));
        Assert.Equal(EvalPlusSplits.Fail, Statuses(run, 1).Base);
        Assert.Equal((EvalPlusSplits.Pass, EvalPlusSplits.Pass), Statuses(run, 2));
        Assert.Equal(EvalPlusSplits.Fail, Statuses(run, 3).Base);
        Assert.Equal(EvalPlusSplits.Fail, Statuses(run, 4).Base);
        Assert.Equal(EvalPlusSplits.Fail, Statuses(run, 4, Grader.Strict).Base);
    }

    [Fact]
    public async Task Solutions_run_in_EvalPlus_environment_where_open_os_kill_and_stdin_fail_and_numpy_imports()
    {
        // EvalPlus's reliability_guard sets open, os.getcwd, os.kill, exit … to None before the solution loads, and
        // swallow_io makes stdin unreadable; its process has NumPy loaded. Checked against EvalPlus's own evaluate.
        sandbox.RequireLanguage("python");
        var data = Task("HumanEval/906", "def inc(x):\n", "inc", "    return x + 1\n", [new object[] { 1 }], new[] { new object[] { 2 } });
        var samples = new[]
        {
            Solution("HumanEval/906", "open('/dev/null').close()\ndef inc(x):\n    return x + 1\n"),          // open while loading
            Solution("HumanEval/906", "def inc(x):\n    import os\n    os.getcwd()\n    return x + 1\n"),      // in the call
            Solution("HumanEval/906", "def inc(x):\n    import sys\n    sys.stdin.read()\n    return x + 1\n"),
            Solution("HumanEval/906", "def inc(x):\n    exit()\n"),
            Solution("HumanEval/906", "import numpy as np\ndef inc(x):\n    return int(np.int64(x) + 1)\n"),
            Solution("HumanEval/906", "import os, math\ndef inc(x):\n    return x + math.floor(1.5) + len(os.sep) - 1\n"), // os itself is fine
            // Modules EvalPlus's process has loaded and guarded are guarded when the solution imports them here.
            Solution("HumanEval/906", "import shutil, subprocess, tempfile\ndef inc(x):\n    assert shutil.rmtree is None and subprocess.Popen is None and shutil.copy\n    return x + 1\n"),
        };
        foreach (var grader in new[] { Grader.EvalPlus, Grader.Strict })
        {
            var (_, run, _) = await Harness.RunAsync(data, samples, grader);
            for (var n = 0; n < 4; n++)
                Assert.True(Statuses(run, n) == (EvalPlusSplits.Fail, EvalPlusSplits.Fail), $"{grader} sample {n}: {Statuses(run, n)} {run.Outcomes[n].Result.Message}");
            Assert.True(Statuses(run, 4) == (EvalPlusSplits.Pass, EvalPlusSplits.Pass), $"{grader}: {run.Outcomes[4].Result.Message}");
            Assert.Equal((EvalPlusSplits.Pass, EvalPlusSplits.Pass), Statuses(run, 5));
            Assert.True(Statuses(run, 6) == (EvalPlusSplits.Pass, EvalPlusSplits.Pass), $"{grader}: {run.Outcomes[6].Result.Message}");
        }
    }

    [Fact]
    public async Task Float_tolerance_applies_from_the_first_float_expectation_of_a_split_on()
    {
        sandbox.RequireLanguage("python");
        // Expected: 1 (int), 2.5 (float: tolerance from here on), [1, 2] (ints, but the tolerance is now in force).
        var data = Task("HumanEval/900", "def f(k):\n", "f", "    return [1, 2.5, [1, 2]][k]\n",
            [new object[] { 1 }, new object[] { 2 }], new[] { new object[] { 0 } });
        var (ds, run, _) = await Harness.RunAsync(data, [
            Solution("HumanEval/900", "def f(k):\n    return [1, 2.5000001, [1, 2.0000001]][k]\n"),   // within 1e-6 where it is in force
            Solution("HumanEval/900", "def f(k):\n    return [1.0000001, 2.5, [1, 2]][k]\n"),         // no tolerance yet in the plus split's first input
            Solution("HumanEval/900", "def f(k):\n    return [1, 2.5, (1, 2)][k]\n"),                 // tolerance needs the same type
        ]);

        Assert.Equal([1e-6, 1e-6], ds.Find("HumanEval/900")!.Tests.Take(2).Select(t => ((FunctionCallTest)t).EvalPlus!.Atol));
        Assert.Equal(0, ((FunctionCallTest)ds.Find("HumanEval/900")!.Tests[2]).EvalPlus!.Atol);
        Assert.Equal((EvalPlusSplits.Pass, EvalPlusSplits.Pass), Statuses(run, 0));
        Assert.Equal((EvalPlusSplits.Pass, EvalPlusSplits.Fail), Statuses(run, 1));
        Assert.Equal((EvalPlusSplits.Fail, EvalPlusSplits.Pass), Statuses(run, 2));
    }

    [Fact]
    public async Task Plus_status_covers_plus_inputs_only_and_a_failing_base_still_gets_its_plus_verdict()
    {
        sandbox.RequireLanguage("python");
        var data = Task("HumanEval/901", "def sq(x):\n", "sq", "    return x * x\n",
            [new object[] { 0 }, new object[] { 3 }], new[] { new object[] { 1 }, new object[] { 5 } });
        var (_, run, summary) = await Harness.RunAsync(data, [
            Solution("HumanEval/901", "def sq(x):\n    return x * x if x != 3 else 0\n"),   // base fails, plus passes
            Solution("HumanEval/901", "def sq(x):\n    return x * x if x != 5 else 0\n"),   // base passes, plus fails
            Solution("HumanEval/901", "def sq(x):\n    return x + x\n"),                    // fails both (0 is right)
        ]);

        Assert.Equal((EvalPlusSplits.Fail, EvalPlusSplits.Pass), Statuses(run, 0));
        Assert.Equal((EvalPlusSplits.Pass, EvalPlusSplits.Fail), Statuses(run, 1));
        Assert.Equal((EvalPlusSplits.Fail, EvalPlusSplits.Fail), Statuses(run, 2));
        Assert.Equal(1 / 3.0, summary.EvalPlusScores!["base"][1], 12);
        Assert.Equal(0, summary.EvalPlusScores["plus"][1]);

        var results = _dir.File("results.json");
        EvalPlusResults.Write(results, run, summary, ReproducibilityManifest.Create(run, new Dictionary<string, string>(), new Dictionary<string, string>()), details: false);
        using var doc = JsonDocument.Parse(File.ReadAllText(results));
        var third = doc.RootElement.GetProperty("eval").GetProperty("HumanEval/901")[2];
        Assert.Equal("[[3]]", JsonSerializer.Serialize(third.GetProperty("base_fail_tests")));
        Assert.Equal("[[1]]", JsonSerializer.Serialize(third.GetProperty("plus_fail_tests"))); // filled although base failed, as EvalPlus does
    }

    [Fact]
    public async Task The_official_comparison_under_a_tolerance_loads_NumPy_in_EvalPlus_environment()
    {
        // Items of a float subclass are no plain builtins: the official verdict is decided in the solution's process,
        // by NumPy's allclose, which must load although the environment blocks what its import uses.
        sandbox.RequireLanguage("python");
        var data = Task("HumanEval/907", "def halves(xs):\n", "halves", "    return [x / 2 for x in xs]\n",
            [new object[] { new[] { 1, 3 } }], new[] { new object[] { new[] { 5 } } });
        var samples = new[] { Solution("HumanEval/907", "class F(float):\n    pass\ndef halves(xs):\n    return [F(x / 2 + 1e-9) for x in xs]\n") };
        var (_, official, _) = await Harness.RunAsync(data, samples, Grader.EvalPlus);
        Assert.True(Statuses(official, 0) == (EvalPlusSplits.Pass, EvalPlusSplits.Pass), official.Outcomes[0].Result.Message);
        Assert.Equal((EvalPlusSplits.Fail, EvalPlusSplits.Fail), Statuses(official, 0, Grader.Strict));
    }

    [Fact]
    public async Task Timeout_status_means_the_process_ended_and_a_test_that_ran_out_of_time_in_the_call_is_a_fail()
    {
        // EvalPlus's per-input alarm raises inside the call (caught: "fail"); "timeout" is an evaluation process it had
        // to give up: one that exited (os._exit), crashed, or could not be interrupted. Statuses checked against
        // EvalPlus's own evaluate on HumanEval+ (docs/evalplus.md, "Session 10").
        sandbox.RequireLanguage("python");
        var data = Task("HumanEval/905", "def sq(x):\n", "sq", "    return x * x\n",
            [new object[] { 2 }, new object[] { 3 }], new[] { new object[] { 4 } });
        var (_, run, _) = await Harness.RunAsync(data, [
            Solution("HumanEval/905", "def sq(x):\n    while True:\n        pass\n"),                              // alarm in the call
            Solution("HumanEval/905", "import os\nos._exit(0)\ndef sq(x):\n    return x * x\n"),                // exits while loading
            Solution("HumanEval/905", "def sq(x):\n    if x == 3:\n        import os\n        os._exit(0)\n    return x * x\n"), // exits in a call
            Solution("HumanEval/905", "def sq(x):\n    import ctypes\n    return ctypes.string_at(0)\n"),           // crashes (SIGSEGV)
            Solution("HumanEval/905", "import sys\ndef sq(x):\n    return x * x\nsys.exit(0)\n"),               // SystemExit while loading: raised, caught
            Solution("HumanEval/905", "def sq(x):\n    raise SystemExit(1)\n"),                                    // SystemExit in a call: raised, caught
        ]);

        Assert.Equal((EvalPlusSplits.Fail, EvalPlusSplits.Fail), Statuses(run, 0));
        Assert.Equal((EvalPlusSplits.Timeout, EvalPlusSplits.Timeout), Statuses(run, 1));
        Assert.Equal((EvalPlusSplits.Timeout, EvalPlusSplits.Pass), Statuses(run, 2));
        Assert.Equal((EvalPlusSplits.Timeout, EvalPlusSplits.Timeout), Statuses(run, 3));
        Assert.Equal((EvalPlusSplits.Fail, EvalPlusSplits.Fail), Statuses(run, 4));
        Assert.Equal((EvalPlusSplits.Fail, EvalPlusSplits.Fail), Statuses(run, 5));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Failing_inputs_are_listed_from_what_the_evaluation_reported_as_EvalPlus_lists_them(bool details)
    {
        // EvalPlus's get_failed_tests: none when nothing was reported (no load, or the process ended in the first
        // input); with details every reported failure up to where the process ended; else the last reported input.
        sandbox.RequireLanguage("python");
        var data = Task("HumanEval/908", "def sq(x):\n", "sq", "    return x * x\n",
            [new object[] { 1 }, new object[] { 2 }, new object[] { 3 }], new[] { new object[] { 4 } });
        var (_, run, summary) = await Harness.RunAsync(data, [
            Solution("HumanEval/908", "import sys\nsys.exit(0)\n"),                                                   // raises while loading
            Solution("HumanEval/908", "import os\nos._exit(0)\n"),                                                    // ends while loading
            Solution("HumanEval/908", "def sq(x):\n    if x == 2:\n        import os\n        os._exit(0)\n    return 0 if x == 3 else x * x\n"),
            Solution("HumanEval/908", "def sq(x):\n    return 0 if x != 1 else 1\n"),                                 // wrong at 2 and 3 and 4
        ], details: details);
        var results = _dir.File($"fail-tests-{details}.json");
        EvalPlusResults.Write(results, run, summary, ReproducibilityManifest.Create(run, new Dictionary<string, string>(), new Dictionary<string, string>()), details);
        using var doc = JsonDocument.Parse(File.ReadAllText(results));
        string Failed(int n, string field) => JsonSerializer.Serialize(doc.RootElement.GetProperty("eval").GetProperty("HumanEval/908")[n].GetProperty(field));

        Assert.Equal(("[]", "[]"), (Failed(0, "base_fail_tests"), Failed(0, "plus_fail_tests")));
        Assert.Equal(("[]", "[]"), (Failed(1, "base_fail_tests"), Failed(1, "plus_fail_tests")));
        // Ended in input 2: EvalPlus reported input 1 (a pass) and nothing after; the wrong answer at 3 is never seen.
        Assert.Equal(details ? "[]" : "[[1]]", Failed(2, "base_fail_tests"));
        Assert.Equal("[]", Failed(2, "plus_fail_tests"));
        Assert.Equal(details ? "[[2],[3]]" : "[[2]]", Failed(3, "base_fail_tests"));
        Assert.Equal("[[4]]", Failed(3, "plus_fail_tests"));
    }

    [Fact]
    public async Task A_reference_failing_on_one_input_is_a_dataset_issue_and_a_problem_without_tests_is_not_scored()
    {
        sandbox.RequireLanguage("python");
        var oneBad = Task("HumanEval/902", "def inv(x):\n", "inv", "    return 1 / x\n",
            [new object[] { 2 }, new object[] { 0 }], new[] { new object[] { 4 } });
        var allBad = Task("HumanEval/903", "def boom(x):\n", "boom", "    raise ValueError('no')\n",
            [new object[] { 1 }], Array.Empty<object>());
        var (ds, run, summary) = await Harness.RunAsync(oneBad + "\n" + allBad, [
            Solution("HumanEval/902", "def inv(x):\n    return 1 / x\n"),
            Solution("HumanEval/903", "import os\nos._exit(0)\n"),
        ]);

        var issue = Assert.Single(ds.Issues, i => i.ProblemId == "HumanEval/902");
        Assert.Equal("base_input[1]", issue.Input);
        Assert.Contains("ZeroDivisionError", issue.Message);
        Assert.Contains("retried", issue.Message);
        Assert.Contains(ds.Issues, i => i.ProblemId == "HumanEval/903" && i.Input is null && i.Message.Contains("no usable tests"));
        Assert.True(run.Outcomes[0].Result.Passed);
        Assert.False(run.Outcomes[1].Result.Passed);
        Assert.False(run.Outcomes[1].Result.IsScored);           // a dataset fault, not the sample's
        Assert.False(run.Outcomes[1].Result.IsInfrastructureError);
        Assert.Equal(1, summary.UnjudgeableSamples);
        Assert.Equal(1.0, summary.PassAtK[1]);
    }

    [Fact]
    public async Task A_split_with_no_tests_never_passes_strictly_and_passes_officially_only_when_empty_in_the_file()
    {
        sandbox.RequireLanguage("python");
        var emptyInFile = Task("Mbpp/793", "", "last", "def last(arr, x):\n    return arr.index(x)\n", [new object[] { new[] { 1, 2 }, 2 }], new Dictionary<string, object>());
        var emptied = Task("HumanEval/904", "def half(x):\n", "half", "    assert x > 0\n    return x // 2\n", [new object[] { 4 }], new[] { new object[] { -1 } });
        var samples = new[]
        {
            Solution("Mbpp/793", "def last(arr, x):\n    return arr.index(x)\n"),
            Solution("HumanEval/904", "def half(x):\n    return x // 2\n"),
        };
        var (_, strict, _) = await Harness.RunAsync(emptyInFile + "\n" + emptied, samples);
        var (_, official, summary) = await Harness.RunAsync(emptyInFile + "\n" + emptied, samples, Grader.EvalPlus);

        Assert.Equal((EvalPlusSplits.Pass, EvalPlusSplits.Fail), Statuses(strict, 0));
        Assert.Equal((EvalPlusSplits.Pass, EvalPlusSplits.Pass), Statuses(official, 0));  // EvalPlus: no plus inputs, the code loads → pass
        Assert.Equal((EvalPlusSplits.Pass, EvalPlusSplits.Fail), Statuses(strict, 1));   // plus emptied by a failing reference: never passes
        Assert.Equal((EvalPlusSplits.Pass, EvalPlusSplits.Fail), Statuses(official, 1));
        Assert.False(strict.Outcomes[0].Result.Passed);
        Assert.True(official.Outcomes[0].Result.Passed);
        Assert.Contains(summary.GraderDifferences, d => d.ProblemId == "Mbpp/793" && d.OfficialPassed && !d.StrictPassed);
    }

    [Fact]
    public async Task Not_none_tasks_compare_only_whether_the_answer_is_None()
    {
        sandbox.RequireLanguage("python");
        var data = Task("Mbpp/787", "", "text_match_three", "import re\ndef text_match_three(text):\n    return re.search('ab{3}', text)\n",
            [new object[] { "ac" }, new object[] { "abbbba" }], new[] { new object[] { "abbb" } });
        var (_, run, _) = await Harness.RunAsync(data, [
            Solution("Mbpp/787", "import re\ndef text_match_three(text):\n    return re.search('abbb', text)\n"),
            Solution("Mbpp/787", "def text_match_three(text):\n    return None\n"),
            Solution("Mbpp/787", "def text_match_three(text):\n    return 'abbb' in text\n"),   // a bool is compared as itself
        ]);

        Assert.Equal((EvalPlusSplits.Pass, EvalPlusSplits.Pass), Statuses(run, 0));
        Assert.Equal((EvalPlusSplits.Fail, EvalPlusSplits.Fail), Statuses(run, 1));
        Assert.Equal((EvalPlusSplits.Pass, EvalPlusSplits.Pass), Statuses(run, 2));
    }

    [Fact]
    public async Task An_object_whose_eq_is_always_true_passes_officially_fails_strictly_and_the_difference_is_reported()
    {
        sandbox.RequireLanguage("python");
        // Several inputs per split: the official verdict needs every input, although the strict one fails at the first.
        var data = Task("HumanEval/905", "def add(a, b):\n", "add", "    return a + b\n",
            [new object[] { 1, 2 }, new object[] { 3, 4 }, new object[] { 0, 0 }], new[] { new object[] { 5, 6 }, new object[] { 7, 8 } });
        var hack = "class Yes:\n    def __eq__(self, other):\n        return True\n\ndef add(a, b):\n    return Yes()\n";
        var samples = new[] { Solution("HumanEval/905", hack), Solution("HumanEval/905", "def add(a, b):\n    return a + b\n") };

        var (_, strict, strictSummary) = await Harness.RunAsync(data, samples);
        var (_, official, officialSummary) = await Harness.RunAsync(data, samples, Grader.EvalPlus);

        Assert.False(strict.Outcomes[0].Result.Passed);
        Assert.True(official.Outcomes[0].Result.Passed);
        Assert.Equal(0.5, strictSummary.EvalPlusScores!["plus"][1], 12);
        Assert.Equal(1.0, strictSummary.OtherGraderScores!["plus"][1], 12);
        Assert.Equal(1.0, officialSummary.EvalPlusScores!["plus"][1], 12);
        var d = Assert.Single(strictSummary.GraderDifferences);
        Assert.Contains("accepted by the official grader, rejected as a hack", d.Reason);
        Assert.Single(officialSummary.GraderDifferences);
    }

    // Answers of many MB (HumanEval/15 and /130 have ~270 MB between them) stay in the oracle's cache file, not in
    // memory, and are judged exactly as answers held in memory are: by both graders, with wrong values still found.
    [Fact]
    public async Task Long_answers_are_deferred_to_the_cache_file_and_judged_by_both_graders_as_in_memory()
    {
        sandbox.RequireLanguage("python");
        // Two answers of 5 MB: an object answering every test gets them in more than one official run (8 MB each).
        var data = Task("HumanEval/907", "def rep(n):\n", "rep", "    return 'ab' * n\n",
            [new object[] { 3 }], new[] { new object[] { 40_000 }, new object[] { 2_500_000 }, new object[] { 2_500_001 } });
        var samples = new[]
        {
            Solution("HumanEval/907", "def rep(n):\n    return 'ab' * n\n"),
            Solution("HumanEval/907", "def rep(n):\n    return 'ab' * n if n < 2_500_000 else 'ab' * (n - 1) + 'ax'\n"), // same length, last byte differs
            Solution("HumanEval/907", "class Yes:\n    def __eq__(self, other):\n        return True\n\ndef rep(n):\n    return Yes()\n"),
        };
        var cache = _dir.File("expected-outputs");

        var (computed, strict, _) = await Harness.RunAsync(data, samples, oracleCache: cache);
        var (cached, official, _) = await Harness.RunAsync(data, samples, Grader.EvalPlus, oracleCache: cache);

        foreach (var d in new[] { computed, cached })
        {
            var tests = d.Find("HumanEval/907")!.Tests.Cast<FunctionCallTest>().ToList();
            Assert.Equal([false, true, true, true], tests.Select(t => t.ExpectedIsDeferred));
            Assert.Equal("\"ababab\"", tests[0].ExpectedJson);
            Assert.Equal(2 * 2_500_000 + 2, tests[2].ExpectedJson.Length); // read back from the file, quotes included
        }
        Assert.Equal(("pass", "pass"), Statuses(strict, 0));
        Assert.Equal(("pass", "fail"), Statuses(strict, 1));
        Assert.Equal("PPW", strict.Outcomes[1].Result.TestOutcomes[..3]);
        Assert.Equal(("fail", "fail"), Statuses(strict, 2));
        Assert.Equal(("pass", "pass"), Statuses(official, 0));
        Assert.Equal(("pass", "fail"), Statuses(official, 1));
        Assert.Equal(("pass", "pass"), Statuses(official, 2)); // EvalPlus's `out == exp` asks the object, in every chunk
    }
}
