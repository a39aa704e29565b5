using Crucible.Repos.Grading;
using Crucible.Repos.Tasks;

namespace Crucible.Repos.Tests;

/// <summary>Gold, empty, wrong and non-applying patches on the demo repositories.</summary>
public sealed class DemoGradingTests(DemoFixture f)
{
    public static TheoryData<string> TaskIds => new() { "textkit-1", "textkit-2", "textkit-3", "numkit-1", "numkit-2" };

    [Theory]
    [MemberData(nameof(TaskIds))]
    public async Task GoldResolvesAndEmptyDoesNot(string id)
    {
        var task = f.Task(id);
        var grader = f.Grader();
        var gold = await grader.GradeAsync(task, Prediction.Gold(task), TestContext.Current.CancellationToken);
        Assert.True(gold.Status == GradeStatus.Resolved, $"{gold.Status}: {gold.Reason}\n{gold.Log}");
        Assert.Equal(task.FailToPass, gold.FailToPassSuccess);
        Assert.Equal(task.PassToPass, gold.PassToPassSuccess);
        var empty = await grader.GradeAsync(task, Prediction.Empty(task.InstanceId), TestContext.Current.CancellationToken);
        Assert.True(empty.Status == GradeStatus.Unresolved, $"{empty.Status}: {empty.Reason}\n{empty.Log}");
        Assert.Equal(task.FailToPass.OrderBy(x => x), empty.FailToPassFailure.OrderBy(x => x));
        Assert.Empty(empty.PassToPassFailure);
    }

    [Theory]
    [InlineData("textkit-1", true, false)]
    [InlineData("textkit-2", false, true)]
    [InlineData("numkit-1", false, true)]
    [InlineData("numkit-2", true, false)]
    public async Task WrongPatchesAreUnresolved(string id, bool someFailToPassFail, bool somePassToPassFail)
    {
        var task = f.Task(id);
        var patch = DemoFixture.ReadExample("predictions-src", task.InstanceId + ".wrong.patch");
        var r = await f.Grader().GradeAsync(task, new Prediction(task.InstanceId, "wrong", patch), TestContext.Current.CancellationToken);
        Assert.True(r.Status == GradeStatus.Unresolved, $"{r.Status}: {r.Reason}\n{r.Log}");
        Assert.True(r.PatchApplied);
        Assert.Equal(someFailToPassFail, r.FailToPassFailure.Count > 0);
        Assert.Equal(somePassToPassFail, r.PassToPassFailure.Count > 0);
    }

    [Fact]
    public async Task PatchThatDoesNotApplyIsReportedAsSuch()
    {
        var task = f.Task("textkit-3");
        var patch = DemoFixture.ReadExample("predictions-src", task.InstanceId + ".notapplying.patch");
        var r = await f.Grader().GradeAsync(task, new Prediction(task.InstanceId, "m", patch), TestContext.Current.CancellationToken);
        Assert.Equal(GradeStatus.NotApplied, r.Status);
        Assert.False(r.PatchApplied);
        Assert.Contains("does not apply", r.Log + r.Reason);
        var json = r.ToOfficialJson()[task.InstanceId]!;
        Assert.False((bool)json["patch_successfully_applied"]!);
        Assert.False((bool)json["resolved"]!);
    }

    [Fact]
    public async Task GarbageIsNotAppliedRatherThanEmpty()
    {
        var task = f.Task("numkit-1");
        var r = await f.Grader().GradeAsync(task, new Prediction(task.InstanceId, "m", "I fixed it, trust me."), TestContext.Current.CancellationToken);
        Assert.Equal(GradeStatus.NotApplied, r.Status);
    }

    [Fact]
    public async Task FailingPreTestCommandsMakeTheRunInvalid()
    {
        var env = Path.Combine(f.Root, $"pretest-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(env, "pre_test:\n  - \"echo building; false\"\n", TestContext.Current.CancellationToken);
        var task = f.Task("numkit-1");
        var r = await new TaskGrader(f.RequirePool(), new Crucible.Repos.Environments.RepositorySources(f.ReposDirectory, env))
            .GradeAsync(task, Prediction.Gold(task), TestContext.Current.CancellationToken);
        Assert.Equal(GradeStatus.Invalid, r.Status);
        Assert.Contains("pre-test", r.Reason);
    }
}
