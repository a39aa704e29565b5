using Crucible.Repos.Environments;
using Crucible.Repos.Evaluation;
using Crucible.Repos.Grading;
using Crucible.Repos.Mining;
using Crucible.Repos.Store;
using Crucible.Repos.Tasks;

namespace Crucible.Repos.Tests;

/// <summary>Mining the demo history gives back the hand-written tasks; validation accepts them and rejects a broken one.</summary>
public sealed class MiningAndValidationTests(DemoFixture f)
{
    [Fact]
    public async Task MiningTheDemoHistoryFindsEveryFixWithTheSameTests()
    {
        var pool = f.RequirePool();
        var repo = Path.Combine(f.ReposDirectory, "crucible-demo__textkit");
        var miner = new TaskMiner(pool, RepoEnvironment.Load(repo + ".env.yaml"));
        var results = new List<MiningResult>();
        await foreach (var r in miner.MineAsync(repo, new MiningOptions(), TestContext.Current.CancellationToken)) results.Add(r);
        var mined = results.Where(r => r.Task is not null).Select(r => r.Task!).ToList();
        Assert.Equal(3, mined.Count);
        Assert.Contains(results, r => r.Skipped is not null && r.Skipped.Contains("root commit", StringComparison.Ordinal));
        foreach (var id in new[] { "textkit-1", "textkit-2", "textkit-3" })
        {
            var expected = f.Task(id);
            var task = Assert.Single(mined, t => t.BaseCommit == expected.BaseCommit);
            Assert.Equal("crucible-demo/textkit", task.Repo);
            Assert.Equal(expected.FailToPass.Order(), task.FailToPass.Order());
            Assert.Equal(expected.PassToPass.Order(), task.PassToPass.Order());
            Assert.Equal(expected.GoldPatch, task.GoldPatch);
            Assert.Equal(expected.TestPatch, task.TestPatch);
            // The placeholder names failing tests, never the fix or the commit message.
            var subject = results.Single(r => r.Task == task).Subject;
            Assert.DoesNotContain(subject, task.ProblemStatement, StringComparison.Ordinal);
            Assert.DoesNotContain("src/textkit/", task.ProblemStatement, StringComparison.Ordinal);
            foreach (var added in task.GoldPatch.Split('\n').Where(l => l.StartsWith('+') && !l.StartsWith("+++", StringComparison.Ordinal) && l.Trim().Length > 12))
                Assert.DoesNotContain(added[1..].Trim(), task.ProblemStatement, StringComparison.Ordinal);
            Assert.Contains(task.FailToPass[0], task.ProblemStatement, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ValidationAcceptsDemoTasksAndRejectsOneWhoseTestsDoNotCheckTheIssue()
    {
        var pool = f.RequirePool();
        var good = f.Task("numkit-2");
        // Claiming a passing test as FAIL_TO_PASS: the empty patch "resolves" it.
        var broken = good with { InstanceId = "broken-1", FailToPass = good.PassToPass.Take(1).ToList(), PassToPass = good.PassToPass.Skip(1).ToList() };
        using var store = GradeStore.Open(Path.Combine(f.Root, $"validate-{Guid.NewGuid():N}.db"));
        var evaluator = new SweEvaluator(new TaskGrader(pool, f.Sources), store, 2);
        var results = await evaluator.ValidateAsync([good, broken], null, TestContext.Current.CancellationToken);
        var ok = results.Single(r => r.Task.InstanceId == good.InstanceId);
        Assert.True(ok.Valid, ok.Reason);
        Assert.Empty(ok.FlakyIds);
        var bad = results.Single(r => r.Task.InstanceId == "broken-1");
        Assert.False(bad.Valid);
        Assert.Contains("empty patch resolves", bad.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FlakyIdsAreThoseWhoseOutcomeOrPresenceChanges()
    {
        var task = f.Task("numkit-1");
        GradeReport Report(params (string, Testing.TestStatus)[] s) => new()
        {
            InstanceId = task.InstanceId, ModelName = "gold", Status = GradeStatus.Resolved,
            TestStatuses = s.ToDictionary(x => x.Item1, x => x.Item2),
        };
        var v = new ValidationResult(task,
            Report(("a", Testing.TestStatus.Passed), ("b", Testing.TestStatus.Passed), ("c[0.123]", Testing.TestStatus.Passed)),
            Report(("a", Testing.TestStatus.Passed), ("b", Testing.TestStatus.Failed), ("c[0.456]", Testing.TestStatus.Passed)),
            Report() with { Status = GradeStatus.Unresolved }, null);
        Assert.Equal(["b", "c[0.123]", "c[0.456]"], v.FlakyIds);
        var withFlaky = v with { Task = task with { FailToPass = ["b", "x"], PassToPass = ["a", "c[0.123]"] } };
        var cleaned = withFlaky.WithoutFlaky();
        Assert.Equal(["x"], cleaned.FailToPass);
        Assert.Equal(["a"], cleaned.PassToPass);
    }
}
