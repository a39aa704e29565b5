using Crucible.Repos.Grading;
using Crucible.Repos.Tasks;
using Crucible.Repos.Testing;
using Crucible.Sandbox;

namespace Crucible.Repos.Tests;

/// <summary>The grading rules on their own: what a test run's exit status and report add up to.</summary>
public sealed class DecisionTests
{
    private static readonly RepositoryTask Task = new()
    {
        InstanceId = "t-1", Repo = "o/r", BaseCommit = "c", FailToPass = ["t.py::f"], PassToPass = ["t.py::p"],
    };

    private static GradeReport Decide(int? exit, Verdict verdict = Verdict.Ok, bool report = true, params (string Id, TestStatus Status)[] statuses) =>
        TaskGrader.Decide(Task, new TestRunResult
        {
            Run = new RunResult { Verdict = verdict, ExitCode = exit, Message = verdict == Verdict.Ok ? null : verdict.ToString() },
            ReportFound = report,
            Statuses = statuses.ToDictionary(s => s.Id, s => s.Status),
        }, new GradeReport { InstanceId = Task.InstanceId, ModelName = "m", Status = GradeStatus.InfraError });

    [Fact]
    public void AllRequiredPassingOrXfailResolves()
    {
        Assert.Equal(GradeStatus.Resolved, Decide(0, statuses: [("t.py::f", TestStatus.Passed), ("t.py::p", TestStatus.XFail)]).Status);
    }

    [Theory]
    [InlineData(TestStatus.Skipped)]
    [InlineData(TestStatus.Failed)]
    [InlineData(TestStatus.Error)]
    public void FailToPassThatDoesNotPassIsUnresolved(TestStatus status)
    {
        var exit = status == TestStatus.Skipped ? 0 : 1;
        var r = Decide(exit, statuses: [("t.py::f", status), ("t.py::p", TestStatus.Passed)]);
        Assert.Equal(GradeStatus.Unresolved, r.Status);
        Assert.Equal(["t.py::f"], r.FailToPassFailure);
    }

    [Fact]
    public void MissingTestCountsAsFailed()
    {
        var r = Decide(0, statuses: [("t.py::p", TestStatus.Passed)]);
        Assert.Equal(GradeStatus.Unresolved, r.Status);
        Assert.Contains("MISSING", r.Reason);
    }

    [Fact]
    public void NoEvidenceOrContradictionIsInvalid()
    {
        Assert.Equal(GradeStatus.Invalid, Decide(0, report: false).Status);
        Assert.Equal(GradeStatus.Invalid, Decide(0, statuses: []).Status);
        Assert.Equal(GradeStatus.Invalid, Decide(2, statuses: [("t.py::f", TestStatus.Passed), ("t.py::p", TestStatus.Passed)]).Status);
        Assert.Equal(GradeStatus.Invalid, Decide(0, statuses: [("t.py::f", TestStatus.Failed), ("t.py::p", TestStatus.Passed)]).Status);
    }

    [Fact]
    public void LimitsAreUnresolvedAndSandboxFailuresAreInfrastructure()
    {
        Assert.Equal(GradeStatus.Unresolved, Decide(null, Verdict.TimeLimitExceeded, report: false).Status);
        Assert.Equal(GradeStatus.Unresolved, Decide(null, Verdict.MemoryLimitExceeded, report: false).Status);
        Assert.Equal(GradeStatus.InfraError, Decide(null, Verdict.SandboxError, report: false).Status);
    }
}
