using Crucible.Agent.Models;
using Crucible.Agent.Repository.Repair;
using Crucible.Agent.Repository.Verification;
using Crucible.Agent.Solving;
using Crucible.Agent.Tests.Fakes;

namespace Crucible.Agent.Tests.Repository;

/// <summary>Each strategy end to end on the demo repositories: scripted model on 127.0.0.1, edits and tests in the sandbox, patch graded by Crucible.Repos.</summary>
public sealed class RepairStrategyTests(RepoAgentFixture fixture) : IClassFixture<RepoAgentFixture>
{
    private readonly RepairHarness _h = new(fixture);

    [Theory]
    [InlineData("oneshot", "textkit-1")]
    [InlineData("rerank", "numkit-1")]
    [InlineData("repair", "textkit-3")]
    [InlineData("tools", "numkit-2")]
    public async Task Each_strategy_resolves_a_demo_task_when_the_model_answers_right(string strategy, string task)
    {
        fixture.RequirePool();
        var model = await _h.ModelAsync(task);
        var result = await _h.SolveAsync(task, strategy, model.Reply, new RepairSettings { Samples = 3 });

        Assert.Equal(RepairStatus.Verified, result.Status);
        Assert.Equal(StopReason.Completed, result.StopReason);
        Assert.True(result.Check!.ReproductionPasses);
        Assert.Empty(result.Check.Regressions);
        Assert.DoesNotContain(CandidateVerifier.ReproductionFile, result.Patch);
        await _h.AssertResolvedAsync(task, result);
        Assert.Contains(result.Trace.Events, e => e is TestRunEvent { Purpose: "verify/reproduction-baseline" } t && t.Statuses.Values.Any(v => v is "failed" or "error"));
        if (strategy == "tools") Assert.Contains(result.Trace.Events, e => e is ModelCallEvent { ToolCalls.Count: > 0, Tools.Count: > 0 }); // native tool calls
    }

    [Theory]
    [InlineData("numkit-1")]
    [InlineData("numkit-2")]
    [InlineData("textkit-1")]
    [InlineData("textkit-2")]
    [InlineData("textkit-3")]
    public async Task One_shot_with_unified_diff_answers_resolves_every_demo_task(string task)
    {
        fixture.RequirePool();
        var model = await _h.ModelAsync(task);
        model.WithEdits(model.Right.Diff);
        var result = await _h.SolveAsync(task, "oneshot", model.Reply, new RepairSettings { Verify = false });
        Assert.Equal(RepairStatus.Unverified, result.Status);
        await _h.AssertResolvedAsync(task, result);
        Assert.Equal(4, result.Usage.Samples); // files, symbols, lines, edit
    }

    [Fact]
    public async Task A_first_edit_that_does_not_apply_is_reported_with_the_closest_lines_and_the_retry_resolves()
    {
        fixture.RequirePool();
        var model = await _h.ModelAsync("textkit-1");
        model.WithEdits("src/textkit/slug.py\n<<<<<<< SEARCH\n    return re.sub(r\"[^a-z]\", separator, txt)\n=======\n    return text\n>>>>>>> REPLACE\n");
        var result = await _h.SolveAsync("textkit-1", "oneshot", model.Reply, new RepairSettings { Verify = false },
            inspect: server =>
            {
                var retry = server.Requests.Last(r => r.LastUser.Contains("was not found", StringComparison.Ordinal));
                Assert.Contains("closest lines", retry.LastUser);
                Assert.Contains("return re.sub(r\"[^a-z0-9]\", separator, text)", retry.LastUser);
                return Task.CompletedTask;
            });
        await _h.AssertResolvedAsync("textkit-1", result);
        Assert.Equal(2, model.Count("edit"));
    }

    [Fact]
    public async Task A_first_edit_that_breaks_the_syntax_is_rolled_back_and_the_retry_resolves()
    {
        fixture.RequirePool();
        var model = await _h.ModelAsync("numkit-1");
        model.WithEdits("numkit/stats.py\n<<<<<<< SEARCH\n    return values[len(values) // 2]\n=======\n    return (values[len(values) // 2]\n>>>>>>> REPLACE\n");
        var result = await _h.SolveAsync("numkit-1", "repair", model.Reply);
        var refused = result.Trace.Events.OfType<EditEvent>().First();
        Assert.Contains("breaks the syntax", Assert.Single(refused.Refusals));
        Assert.Empty(refused.ChangedFiles);
        Assert.Equal(RepairStatus.Verified, result.Status);
        await _h.AssertResolvedAsync("numkit-1", result);
    }

    [Fact]
    public async Task Iterative_repair_feeds_failing_tests_back_and_fixes_a_wrong_but_valid_first_patch()
    {
        fixture.RequirePool();
        var model = await _h.ModelAsync("numkit-1");
        // Valid Python, wrong behaviour: the reproduction test fails, so the failures go back to the model.
        const string wrong = "    return values[(len(values) - 1) // 2]";
        var fixOfWrong = $"numkit/stats.py\n<<<<<<< SEARCH\n{model.Right.FirstSearch.Replace("    return values[len(values) // 2]", wrong)}\n=======\n{model.Right.FirstReplace}\n>>>>>>> REPLACE\n";
        model.WithEdits($"numkit/stats.py\n<<<<<<< SEARCH\n    return values[len(values) // 2]\n=======\n{wrong}\n>>>>>>> REPLACE\n", fixOfWrong);
        string? feedback = null;
        var result = await _h.SolveAsync("numkit-1", "repair", r =>
        {
            if (r.LastUser.Contains("does not pass the checks", StringComparison.Ordinal)) feedback = r.LastUser;
            return model.Reply(r);
        });
        Assert.NotNull(feedback);
        Assert.Contains("reproducing the issue still fails", feedback);
        Assert.Equal(1, result.Usage.Rounds);
        Assert.Equal(RepairStatus.Verified, result.Status);
        await _h.AssertResolvedAsync("numkit-1", result);
    }

    [Fact]
    public async Task A_model_that_keeps_failing_is_stopped_by_the_sample_budget()
    {
        fixture.RequirePool();
        var model = await _h.ModelAsync("textkit-2");
        model.Override = r => r.LastUser.Contains("Which", StringComparison.Ordinal) || r.LastUser.Contains("reproduces", StringComparison.Ordinal) ? null
            : FakeReply.Chat("I am not sure what to change here.");
        var result = await _h.SolveAsync("textkit-2", "repair", model.Reply, new RepairSettings { Rounds = 3, EditRetries = 5 }, new SolveBudget { MaxSamples = 7 },
            inspect: server => { Assert.Equal(7, server.RequestCount); return Task.CompletedTask; });
        Assert.Equal(StopReason.SamplesExhausted, result.StopReason);
        Assert.Equal(RepairStatus.NoPatch, result.Status);
        Assert.Equal("", result.Patch);
    }

    [Fact]
    public async Task A_wall_time_budget_stops_a_slow_model_and_keeps_the_run_result()
    {
        fixture.RequirePool();
        var model = await _h.ModelAsync("textkit-1");
        model.Override = r => r.LastUser.Contains("Which lines", StringComparison.Ordinal) ? FakeReply.Chat("```\nsrc/textkit/slug.py: line: 9\n```").After(TimeSpan.FromSeconds(30)) : null;
        var result = await _h.SolveAsync("textkit-1", "oneshot", model.Reply, new RepairSettings { Verify = false }, new SolveBudget { MaxWallTime = TimeSpan.FromSeconds(3) });
        Assert.Equal(StopReason.WallTimeExhausted, result.StopReason);
        Assert.Equal(RepairStatus.NoPatch, result.Status);
        Assert.Equal(3, result.Usage.Samples); // files and symbols answered; the third call (lines) was cut off by the wall clock
    }

    [Fact]
    public async Task The_tool_loop_stops_at_its_step_limit_when_the_model_never_submits()
    {
        fixture.RequirePool();
        var result = await _h.SolveAsync("textkit-2", "tools", _ => FakeReply.Chat("```\nfind_file slug\n```"), new RepairSettings { MaxSteps = 4, ToolMode = ToolMode.Text });
        Assert.Equal(4, result.Usage.Samples);
        Assert.Equal(RepairStatus.NoPatch, result.Status);
        Assert.Contains(result.Trace.Events, e => e is DecisionEvent d && d.Message.Contains("step limit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Malformed_localisation_answers_fall_back_to_the_map_and_prose_answers_are_read_leniently()
    {
        fixture.RequirePool();
        var model = await _h.ModelAsync("textkit-1");
        model.Override = r =>
            r.LastUser.Contains("Which files", StringComparison.Ordinal) ? FakeReply.Chat("{\"garbage\": [1, 2") :
            r.LastUser.Contains("Which classes", StringComparison.Ordinal) ? FakeReply.Chat("I would look at **slugify** in `src/textkit/slug.py`.") :
            r.LastUser.Contains("Which lines", StringComparison.Ordinal) ? FakeReply.Chat("Probably around lines 6 to 9.") : null;
        var result = await _h.SolveAsync("textkit-1", "oneshot", model.Reply, new RepairSettings { Verify = false });
        var localised = result.Trace.Events.OfType<DecisionEvent>().Single(d => d.Message == "localised");
        Assert.Contains("src/textkit/slug.py", localised.Data["files"]);
        Assert.Contains("slugify", localised.Data["symbols"]);
        Assert.Contains("src/textkit/slug.py:6-9", localised.Data["ranges"]);
        Assert.Contains(result.Trace.Events, e => e is DecisionEvent d && d.Message.Contains("named no known file", StringComparison.Ordinal));
        await _h.AssertResolvedAsync("textkit-1", result);
    }

    [Fact]
    public async Task Rate_limits_server_errors_and_timeouts_are_retried()
    {
        fixture.RequirePool();
        var model = await _h.ModelAsync("textkit-1");
        var n = 0;
        model.Override = _ => Interlocked.Increment(ref n) switch
        {
            1 => FakeReply.Error(429, "slow down", ("retry-after-ms", "10")),
            2 => FakeReply.Error(503, "overloaded"),
            3 => FakeReply.Chat("late").After(TimeSpan.FromSeconds(5)),
            _ => null,
        };
        var result = await _h.SolveAsync("textkit-1", "oneshot", model.Reply, new RepairSettings { Verify = false },
            clientOptions: Clients.FastRetries with { AttemptTimeout = TimeSpan.FromSeconds(1) });
        var first = result.Trace.Events.OfType<ModelCallEvent>().First();
        Assert.Equal(4, first.Attempts);
        Assert.Equal(3, first.AttemptErrors.Count);
        await _h.AssertResolvedAsync("textkit-1", result);
    }

    [Fact]
    public async Task A_server_that_fails_for_good_stops_the_run_with_a_model_error_and_no_patch()
    {
        fixture.RequirePool();
        var result = await _h.SolveAsync("textkit-1", "oneshot", _ => FakeReply.Error(500, "broken"), clientOptions: Clients.FastRetries with { MaxRetries = 1 });
        Assert.Equal(StopReason.ModelError, result.StopReason);
        Assert.Equal(RepairStatus.NoPatch, result.Status);
    }

    [Fact]
    public async Task Edits_naming_paths_outside_the_repository_never_reach_the_patch()
    {
        fixture.RequirePool();
        var model = await _h.ModelAsync("textkit-1");
        model.WithEdits(
            "../../evil.py\n<<<<<<< SEARCH\n=======\nimport os\n>>>>>>> REPLACE\n/tmp/evil.py\n<<<<<<< SEARCH\n=======\nx = 1\n>>>>>>> REPLACE\n"
            + ".git/hooks/pre-commit\n<<<<<<< SEARCH\n=======\necho hi\n>>>>>>> REPLACE\n" + model.Right.SearchReplace);
        var result = await _h.SolveAsync("textkit-1", "oneshot", model.Reply, new RepairSettings { Verify = false, EditRetries = 0 });
        Assert.Equal(3, result.Trace.Events.OfType<EditEvent>().Single().Failures.Count);
        Assert.Equal(["src/textkit/slug.py"], PatchText.Files(result.Patch));
        Assert.False(File.Exists("/tmp/evil.py"));
        await _h.AssertResolvedAsync("textkit-1", result);
    }
}
