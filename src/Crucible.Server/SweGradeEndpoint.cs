using System.Text.Json;
using Crucible.Client;
using Crucible.Repos;
using Crucible.Repos.Environments;
using Crucible.Repos.Grading;
using Crucible.Repos.Tasks;
using Microsoft.AspNetCore.Http;

namespace Crucible.Server;

/// <summary>
/// <c>POST /v1/swe/grade</c>: grades one prediction on one SWE-bench instance, in a workspace checked out of the
/// server's <c>--repos</c> clones, and answers <c>{instance_id: {patch_successfully_applied, resolved, tests_status,
/// crucible}}</c>. A missing repository or unknown commit is a 422 naming the field, like every invalid request.
/// </summary>
internal static class SweGradeEndpoint
{
    public static Task HandleAsync(ExecutionHost host, HttpContext context) =>
        host.HandleAsync<SweGradeRequest, (RepositoryTask Task, Prediction Prediction)>(context, "swe_grade", r => Prepare(host, r), _ => 1, (w, scope) => ExecuteAsync(host, w, scope));

    private static (RepositoryTask, Prediction) Prepare(ExecutionHost host, SweGradeRequest r)
    {
        if (host.Options.ReposDirectory is null)
            throw new InvalidFieldException("instance", "this server has no repositories: start it with `crucible serve --repos DIR` (DIR holding owner__name clones).");
        if (r.Instance is not { ValueKind: JsonValueKind.Object } instance)
            throw new InvalidFieldException("instance", "instance is required: a SWE-bench instance object.");
        RepositoryTask task;
        try { task = TaskLoader.FromJson(instance, "instance"); }
        catch (RepositoryInputException e) { throw new InvalidFieldException("instance", e.Message); }
        return (task, new Prediction(task.InstanceId, r.ModelName ?? "model", r.ModelPatch));
    }

    private static async Task<object> ExecuteAsync(ExecutionHost host, (RepositoryTask Task, Prediction Prediction) work, RequestScope scope)
    {
        using var slot = await scope.EnterAsync().ConfigureAwait(false);
        var grader = new TaskGrader(host.Pool, new RepositorySources(host.Options.ReposDirectory));
        GradeReport report;
        try
        {
            report = await grader.GradeAsync(work.Task, work.Prediction, scope.Token).ConfigureAwait(false);
        }
        catch (RepositoryInputException e)
        {
            throw ApiException.Invalid("instance", e.Message);
        }
        host.Metrics.Verdict("swe_grade", GradeReport.StatusName(report.Status));
        return report.ToOfficialJson();
    }
}
