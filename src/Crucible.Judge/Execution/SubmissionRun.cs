using System.Text;
using System.Text.Json;
using Crucible.Judge.Values;
using Crucible.Sandbox;

namespace Crucible.Judge.Execution;

/// <summary>
/// Judging one submission: the session is open, the program compiled; runs the tests group by group, in problem
/// order, and keeps one result per test. Checker verdicts are taken after the session is closed, so a judge never
/// holds two sandbox sessions at once (two held at once could deadlock a full pool).
/// </summary>
internal sealed partial class SubmissionRun
{
    private readonly SandboxPool _pool;
    private readonly JudgePlan _plan;
    private readonly JudgeOptions _options;
    private readonly SandboxSession _session;
    private readonly TestResult?[] _results;
    private readonly List<PendingCheck> _checks = [];
    private readonly List<int> _officialPending = [];

    public SubmissionRun(SandboxPool pool, JudgePlan plan, JudgeOptions options, SandboxSession session)
    {
        _pool = pool;
        _plan = plan;
        _options = options;
        _session = session;
        _results = new TestResult?[plan.Tests.Count];
    }

    private Problem Problem => _plan.Submission.Problem;
    private ComparisonOptions Comparison => Problem.Comparison;

    /// <summary>Runs every test in the open session; checker verdicts follow in <see cref="FinishAsync"/>.</summary>
    public async Task RunInSessionAsync(CancellationToken ct)
    {
        var tests = _plan.Tests;
        var i = 0;
        while (i < tests.Count)
        {
            var test = tests[i];
            if (StopRequested(test.Group))
            {
                // Stop this group; a later group (EvalPlus's plus inputs after the base ones) still gets its verdict.
                while (i < tests.Count && tests[i].Group == test.Group) i++;
                continue;
            }
            if (test is FunctionCallTest && _options.Batch && FollowingCallGroups(i) is { Count: > 1 } groups
                && groups.Sum(g => g.Sum(t => RecordSize((FunctionCallTest)_plan.Tests[t], digests: true))) <= SharedRunExpectedBytes)
            {
                await RunCallGroupsAsync(groups, ct).ConfigureAwait(false);
                i = groups[^1][^1] + 1;
                continue;
            }
            if (test.CallsIntoPython)
            {
                var j = _plan.CallGroupEnd(i);
                var group = Enumerable.Range(i, j - i).ToList();
                if (test is FunctionCallTest) await RunFunctionCallsAsync(group, ct).ConfigureAwait(false);
                else await RunAssertionsAsync(group, ct).ConfigureAwait(false);
                i = j;
                continue;
            }
            switch (test)
            {
                case StdioTest s: await RunStdioAsync(i, s, ct).ConfigureAwait(false); break;
                case CheckerTest c: await RunCheckedProgramAsync(i, c, ct).ConfigureAwait(false); break;
                default: throw new InvalidOperationException($"unknown test kind {test.GetType().Name}");
            }
            i++;
        }
        // Still in the session: EvalPlus's own comparison for the few values that were not plain builtins.
        await RunOfficialAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Runs the checkers (each in its own session, after the submission's is closed) and builds the result.</summary>
    public async Task<JudgeResult> FinishAsync(CompileResult compile, CancellationToken ct)
    {
        await RunCheckersAsync(ct).ConfigureAwait(false);
        return BuildResult(_plan, _results, compile, _options);
    }

    /// <summary>
    /// Groups share a run only while their records total less than this (<see cref="RecordSize"/>): the host holds a
    /// run's whole output. Values above <see cref="DigestFromChars"/> come back as digests, so every split of
    /// HumanEval+ fits (HumanEval/15 returns 147 MB over its two splits: held whole, real HumanEval+ peaked at 0.96 GiB
    /// with both splits in one run).
    /// </summary>
    private const long SharedRunExpectedBytes = 16L << 20;

    /// <summary>
    /// A group's tests go to a run in order while their records total at most this (one test at least), the rest to
    /// the next run: the host holds a run's whole output, and this bounds it for every group alike. With large values
    /// sent as digests, a split has to be cut only past ~500 tests of answers over 64 KiB each.
    /// </summary>
    private const long RunExpectedBytes = 32L << 20;

    /// <summary>The most output a run of function calls may ever be allowed (what the reference runs get).</summary>
    private const long MaxCallRunOutputBytes = 1L << 30;

    /// <summary>
    /// The output a run of these function calls may write: the pool's limit plus room for each test's correct answer
    /// (its expected value twice over, for an encoding that is not byte for byte the expected JSON, and its records).
    /// With only the pool's limit, a correct answer larger than it was an output-limit failure, and a run of large
    /// correct answers was cut at the limit and its tests rerun in run after run (HumanEval/130's 124 MB of answers:
    /// over ten runs of the sample for one verdict).
    /// </summary>
    private long OutputAllowance(List<int> batch, bool digests)
    {
        var allowance = _pool.Options.RunLimits.MaxOutputBytes;
        foreach (var i in batch)
            if (_plan.Tests[i] is FunctionCallTest t) allowance += 2 * RecordSize(t, digests) + 256;
        return Math.Min(allowance, Math.Max(MaxCallRunOutputBytes, _pool.Options.RunLimits.MaxOutputBytes));
    }

    /// <summary>The front of <paramref name="pending"/> whose expected values fit one run (<see cref="RunExpectedBytes"/>).</summary>
    private List<int> RunOfPending(List<int> pending, bool digests)
    {
        long bytes = 0;
        var n = 0;
        for (; n < pending.Count; n++)
        {
            var size = RecordSize((FunctionCallTest)_plan.Tests[pending[n]], digests);
            if (n > 0 && bytes + size > RunExpectedBytes) break;
            bytes += size;
        }
        return n == pending.Count ? new List<int>(pending) : pending.GetRange(0, n);
    }

    /// <summary>The consecutive groups of function-call tests that start at <paramref name="start"/> (one run serves them all).</summary>
    private List<List<int>> FollowingCallGroups(int start)
    {
        var groups = new List<List<int>>();
        var tests = _plan.Tests;
        for (var i = start; i < tests.Count && tests[i] is FunctionCallTest && !StopRequested(tests[i].Group);)
        {
            var end = _plan.CallGroupEnd(i);
            groups.Add(Enumerable.Range(i, end - i).ToList());
            i = end;
        }
        return groups;
    }

    private bool StopRequested(string? group) => _options.StopAtFirstFailure
        && _results.Where((r, i) => r is not null && _plan.Tests[i].Group == group && !_officialPending.Contains(i)).Any(r => r!.Outcome != TestOutcome.Passed);

    // ------------------------------------------------------------------------------------------------------------
    // Limits

    private TimeSpan CpuFor(int index) =>
        _options.CpuTimePerTestOverride ?? _plan.Tests[index].CpuTimeLimit ?? Problem.Limits.CpuTimePerTest ?? _options.DefaultCpuTimePerTest;

    private long Memory => Problem.Limits.MemoryBytes ?? _options.DefaultMemoryBytes;

    private ResourceLimits LimitsFor(TimeSpan cpu) => _pool.Options.RunLimits with { CpuTime = cpu, WallTime = null, MemoryBytes = Memory };

    private ResourceLimits HelperLimits => _pool.Options.RunLimits with
    {
        CpuTime = _options.HelperCpuTime, WallTime = null, MemoryBytes = _options.HelperMemoryBytes,
    };

    // ------------------------------------------------------------------------------------------------------------
    // Stdin/stdout and checker tests

    private async Task RunStdioAsync(int index, StdioTest test, CancellationToken ct)
    {
        var run = await RunProgramAsync(test.Input, CpuFor(index), ct).ConfigureAwait(false);
        if (run.Verdict != Verdict.Ok)
        {
            Set(FromRun(index, run, test.ExpectedOutput));
            return;
        }
        var actual = run.Stdout;
        var ok = OutputComparer.Matches(actual, test.ExpectedOutput, Comparison, out var difference);
        Set(Measured(index, run) with
        {
            Outcome = ok ? TestOutcome.Passed : TestOutcome.WrongAnswer,
            Message = ok ? null : "wrong answer: " + difference,
            ExpectedPreview = Preview(test.ExpectedOutput),
            ActualPreview = Preview(actual),
        });
    }

    private Task<RunResult> RunProgramAsync(string input, TimeSpan cpu, CancellationToken ct) =>
        _session.RunAsync(new RunRequest
        {
            Stdin = Encoding.UTF8.GetBytes(input),
            Args = _plan.Harnessed ? ["stdio"] : [],
            Limits = LimitsFor(cpu),
        }, ct);

    private async Task RunCheckedProgramAsync(int index, CheckerTest test, CancellationToken ct)
    {
        var run = await RunProgramAsync(test.Input, CpuFor(index), ct).ConfigureAwait(false);
        if (run.Verdict != Verdict.Ok)
        {
            Set(FromRun(index, run, test.ExpectedOutput));
            return;
        }
        // The verdict waits for the checker phase; until then the slot stays empty (StopAtFirstFailure cannot see it).
        _checks.Add(new PendingCheck(index, test, run));
    }

    private async Task RunCheckersAsync(CancellationToken ct)
    {
        foreach (var group in _checks.GroupBy(c => (c.Test.CheckerLanguage, c.Test.CheckerSource)))
        {
            SandboxSession checker;
            try
            {
                checker = await _pool.OpenSessionAsync(new SourceProgram(group.Key.CheckerLanguage, group.Key.CheckerSource), HelperLimits, ct).ConfigureAwait(false);
            }
            catch (SandboxException e)
            {
                foreach (var c in group) Set(Measured(c.Index, c.Run) with { Outcome = TestOutcome.SandboxError, Message = "checker unavailable: " + e.Message });
                continue;
            }
            await using (checker.ConfigureAwait(false))
            {
                if (!checker.Compile.Succeeded)
                {
                    foreach (var c in group)
                        Set(Measured(c.Index, c.Run) with { Outcome = TestOutcome.SandboxError, Message = $"the checker does not compile ({checker.Compile.Verdict}): {Preview(checker.Compile.Output)}" });
                    continue;
                }
                foreach (var c in group) Set(await CheckAsync(checker, c, ct).ConfigureAwait(false));
            }
        }
    }

    private async Task<TestResult> CheckAsync(SandboxSession checker, PendingCheck c, CancellationToken ct)
    {
        var verdict = await checker.RunAsync(new RunRequest
        {
            Files = new Dictionary<string, byte[]>
            {
                ["input.txt"] = Encoding.UTF8.GetBytes(c.Test.Input),
                ["output.txt"] = c.Run.StdoutBytes,
                ["answer.txt"] = Encoding.UTF8.GetBytes(c.Test.ExpectedOutput),
            },
            Args = ["input.txt", "output.txt", "answer.txt"],
            Limits = HelperLimits,
        }, ct).ConfigureAwait(false);
        var said = (verdict.Stderr + "\n" + verdict.Stdout).Trim();
        var result = Measured(c.Index, c.Run) with
        {
            ExpectedPreview = Preview(c.Test.ExpectedOutput),
            ActualPreview = Preview(c.Run.Stdout),
        };
        if (verdict.Verdict == Verdict.Ok) return result with { Outcome = TestOutcome.Passed, Message = said.Length > 0 ? "checker: " + Preview(said) : null };
        if (verdict.Verdict == Verdict.RuntimeError && verdict.ExitCode is 1 or 2 or 4 or 7 or 8)
        {
            var kind = verdict.ExitCode == 2 ? "presentation error" : "wrong answer";
            return result with { Outcome = TestOutcome.WrongAnswer, Message = $"{kind} (checker exit {verdict.ExitCode}): {Preview(said)}" };
        }
        // Exit 3 is testlib's "fail": the checker itself is broken or its data is; so is any crash or limit.
        var why = verdict.ExitCode == 3 ? "the checker reported a failure (exit 3)" : $"the checker failed ({verdict.Verdict}, {verdict.Message})";
        return result with { Outcome = TestOutcome.SandboxError, Message = $"{why}: {Preview(said)}" };
    }

    private sealed record PendingCheck(int Index, CheckerTest Test, RunResult Run);

    // ------------------------------------------------------------------------------------------------------------
    // Results

    private void Set(TestResult result) => _results[result.Index] = result;

    private TestResult Blank(int index) => new()
    {
        Index = index,
        Outcome = TestOutcome.SandboxError,
        Name = _plan.Tests[index].Name,
    };

    private TestResult Measured(int index, RunResult run) => Blank(index) with
    {
        CpuTime = run.CpuTime,
        WallTime = run.WallTime,
        PeakMemoryBytes = run.PeakMemoryBytes,
        StderrPreview = run.StderrBytes.Length > 0 ? Preview(run.Stderr) : null,
    };

    /// <summary>A run that did not end normally: its verdict is the test's.</summary>
    private TestResult FromRun(int index, RunResult run, string? expected = null)
    {
        var outcome = run.Verdict switch
        {
            Verdict.Ok => TestOutcome.RuntimeError,
            Verdict.RuntimeError => TestOutcome.RuntimeError,
            Verdict.TimeLimitExceeded => TestOutcome.TimeLimitExceeded,
            Verdict.MemoryLimitExceeded => TestOutcome.MemoryLimitExceeded,
            Verdict.OutputLimitExceeded => TestOutcome.OutputLimitExceeded,
            Verdict.CompileError => TestOutcome.CompileError,
            _ => TestOutcome.SandboxError,
        };
        var message = run.Verdict switch
        {
            Verdict.Ok => "the program exited (code 0) before the test finished",
            Verdict.RuntimeError => "runtime error: " + (run.Message ?? "") + LastLine(run.Stderr),
            _ => run.Message,
        };
        return Measured(index, run) with
        {
            Outcome = outcome,
            Message = message,
            ProcessEnded = outcome != TestOutcome.SandboxError,
            ExpectedPreview = expected is null ? null : Preview(expected),
            ActualPreview = run.StdoutBytes.Length > 0 && !_plan.Harnessed ? Preview(run.Stdout) : null,
        };
    }

    private static string LastLine(string stderr)
    {
        var lines = stderr.TrimEnd().Split('\n');
        var last = lines.Length > 0 ? lines[^1].Trim() : "";
        return last.Length > 0 ? " — " + (last.Length > 300 ? last[..300] : last) : "";
    }

    private string? Preview(string? s)
    {
        if (s is null) return null;
        var n = Math.Max(0, _options.PreviewChars);
        return s.Length <= n ? s : s[..n] + "…";
    }

    internal static JudgeResult BuildResult(JudgePlan plan, TestResult?[] results, CompileResult compile, JudgeOptions options)
    {
        var tests = new TestResult[results.Length];
        var firstFailure = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < results.Length; i++)
        {
            var r = results[i];
            var group = plan.Tests[i].Group;
            if (options.StopAtFirstFailure && firstFailure.TryGetValue(group ?? "", out _))
                r = null; // judged after the group's first failure (batches run ahead): not counted
            tests[i] = r ?? new TestResult
            {
                Index = i,
                Name = plan.Tests[i].Name,
                Outcome = TestOutcome.Skipped,
                Message = "not judged: an earlier test failed",
            };
            // A failure the official EvalPlus grader accepts (the tests after it ran for that grader's verdict) does not stop the group.
            if (tests[i].Outcome != TestOutcome.Passed && tests[i].OfficialOutcome != TestOutcome.Passed) firstFailure.TryAdd(group ?? "", i);
        }
        var genuine = tests.FirstOrDefault(t => t.Outcome is not (TestOutcome.Passed or TestOutcome.Skipped or TestOutcome.SandboxError));
        var outcome = genuine?.Outcome
            ?? (tests.Any(t => t.Outcome == TestOutcome.SandboxError) ? TestOutcome.SandboxError
                : tests.All(t => t.Outcome == TestOutcome.Passed) ? TestOutcome.Passed : TestOutcome.Skipped);
        var deciding = genuine ?? tests.FirstOrDefault(t => t.Outcome == TestOutcome.SandboxError);
        return new JudgeResult
        {
            Outcome = outcome,
            Compile = compile,
            Tests = tests,
            TotalTests = tests.Length,
            Message = deciding is null ? null
                : $"test {deciding.Index + 1}{(deciding.Name is { } n ? $" ({n})" : "")}: {deciding.Outcome}{(deciding.Message is { } m ? ": " + m : "")}",
        };
    }
}
