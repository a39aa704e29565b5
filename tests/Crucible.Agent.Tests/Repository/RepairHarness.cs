using Crucible.Agent.Models;
using Crucible.Agent.Repository.Repair;
using Crucible.Agent.Solving;
using Crucible.Agent.Tests.Fakes;
using Crucible.Repos.Grading;
using Crucible.Repos.Tasks;

namespace Crucible.Agent.Tests.Repository;

/// <summary>Runs a repository strategy on a demo task against a scripted model server, and grades the patch with Crucible.Repos.</summary>
public sealed class RepairHarness(RepoAgentFixture fixture)
{
    public async Task<ScriptedRepairModel> ModelAsync(string taskId) =>
        new(RightAnswers.For(fixture.Task(taskId), await fixture.FixedTestFileAsync(fixture.Task(taskId))));

    public async Task<RepairResult> SolveAsync(string taskId, string strategy, Func<FakeRequest, FakeReply> script, RepairSettings? settings = null,
        SolveBudget? budget = null, ModelClientOptions? clientOptions = null, Func<FakeModelServer, Task>? inspect = null)
    {
        await using var server = await FakeModelServer.StartAsync(script);
        using var client = Clients.For(server, clientOptions);
        var result = await SolveWithAsync(client, taskId, strategy, settings, budget);
        if (inspect is not null) await inspect(server);
        return result;
    }

    public async Task<RepairResult> SolveWithAsync(IModelClient client, string taskId, string strategy, RepairSettings? settings = null, SolveBudget? budget = null)
    {
        var task = fixture.Task(taskId);
        await using var workspace = await fixture.WorkspaceAsync(task);
        var s = settings ?? new RepairSettings();
        var options = new RepairOptions { Settings = s, Budget = budget ?? SolveBudget.Unlimited, SymbolCache = null, Sampling = new SamplingOptions { Temperature = 0, Seed = 1 } };
        return await new RepairSolver(client, options).SolveAsync(new RepairIssue(task.InstanceId, task.ProblemStatement), workspace, RepairStrategies.Create(strategy, s),
            TestContext.Current.CancellationToken);
    }

    public async Task<GradeReport> GradeAsync(string taskId, string patch) =>
        await new TaskGrader(fixture.RequirePool(), fixture.Sources).GradeAsync(fixture.Task(taskId), new Prediction(fixture.Task(taskId).InstanceId, "agent", patch),
            TestContext.Current.CancellationToken);

    public async Task AssertResolvedAsync(string taskId, RepairResult result)
    {
        Assert.True(result.Patch.Length > 0, $"no patch; stop {result.StopReason}: {result.Error}");
        var grade = await GradeAsync(taskId, result.Patch);
        Assert.True(grade.Status == GradeStatus.Resolved, $"{taskId}: {grade.Status} {grade.Reason}\n{result.Patch}");
    }
}
