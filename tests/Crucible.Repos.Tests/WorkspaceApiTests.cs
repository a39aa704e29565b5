using Crucible.Repos.Grading;
using Crucible.Repos.Tasks;
using Crucible.Repos.Testing;
using Crucible.Repos.Workspaces;

namespace Crucible.Repos.Tests;

/// <summary>The workspace API an agent uses: no history, edit, run chosen tests, diff, grade the diff.</summary>
public sealed class WorkspaceApiTests(DemoFixture f)
{
    [Fact]
    public async Task EditRunDiffAndGradeTheDiff()
    {
        var pool = f.RequirePool();
        var task = f.Task("numkit-1");
        var ct = TestContext.Current.CancellationToken;
        string diff;
        await using (var ws = await TaskWorkspace.CreateAsync(pool, task, f.Sources.RepositoryPath(task), f.Sources.Environment(task), cancellationToken: ct))
        {
            // One commit, no history: the fix commits of the clone are not reachable from the workspace.
            var log = await ws.Sandbox.RunAsync(new Crucible.Sandbox.WorkspaceCommand { Argv = ["git", "rev-list", "--all", "--count"] }, ct);
            Assert.Equal("1", log.Stdout.Trim());

            var source = ws.ReadText("numkit/stats.py")!;
            ws.WriteText("numkit/stats.py", source.Replace("    return values[len(values) // 2]",
                "    mid = len(values) // 2\n    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2", StringComparison.Ordinal));
            var applied = await ws.ApplyPatchAsync(task.TestPatch, ct);
            Assert.True(applied.Applied, applied.Log);
            var run = await ws.RunTestsAsync(new TestRunSpec { Tests = ["tests/test_stats.py"] }, ct);
            Assert.True(run.ReportFound, run.Log);
            Assert.All(task.FailToPass.Concat(task.PassToPass), id => Assert.Equal(TestStatus.Passed, run.Statuses[id]));
            diff = await ws.DiffAsync(ct);
        }
        Assert.Contains("numkit/stats.py", diff);
        Assert.DoesNotContain(".crucible", diff);
        // The agent's diff includes its test edits; grading drops those and still resolves.
        var grade = await f.Grader().GradeAsync(task, new Prediction(task.InstanceId, "agent", diff), ct);
        Assert.True(grade.Status == GradeStatus.Resolved, grade.Reason + "\n" + grade.Log);
        Assert.Contains("tests/test_stats.py", grade.IgnoredPaths);
    }
}
