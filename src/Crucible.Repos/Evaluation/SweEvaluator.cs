using Crucible.Repos.Grading;
using Crucible.Repos.Store;
using Crucible.Repos.Tasks;

namespace Crucible.Repos.Evaluation;

/// <summary>
/// Grades many predictions (or validates many tasks) in parallel, reusing stored grades and storing each new one as
/// soon as it is known. Bad input for one task (missing repository, unknown commit) is reported for that task and the
/// others go on; a prediction for a task that does not exist stops the run before anything is graded.
/// </summary>
public sealed class SweEvaluator(TaskGrader grader, GradeStore store, int parallelism)
{
    /// <summary>Checks that every prediction names a known task; throws naming the unknown ids.</summary>
    public static void CheckPredictions(IReadOnlyList<RepositoryTask> tasks, IReadOnlyList<Prediction> predictions, string predictionsOrigin)
    {
        var known = tasks.Select(t => t.InstanceId).ToHashSet(StringComparer.Ordinal);
        var unknown = predictions.Where(p => !known.Contains(p.InstanceId)).Select(p => p.InstanceId).ToList();
        if (unknown.Count > 0)
            throw new RepositoryInputException($"{predictionsOrigin}: {unknown.Count} prediction(s) for unknown task(s): {string.Join(", ", unknown.Take(5))}{(unknown.Count > 5 ? ", …" : "")}; check --tasks or the instance ids.");
    }

    /// <summary>Grades every prediction whose task is in <paramref name="tasks"/>.</summary>
    public async Task<IReadOnlyList<TaskOutcome>> EvaluateAsync(IReadOnlyList<RepositoryTask> tasks, IReadOnlyList<Prediction> predictions,
        Action<TaskOutcome>? progress = null, CancellationToken cancellationToken = default)
    {
        var byId = tasks.ToDictionary(t => t.InstanceId, StringComparer.Ordinal);
        var jobs = predictions.Select(p => (byId[p.InstanceId], p, 1)).ToList();
        return await RunAllAsync(jobs, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gold twice and empty once per task.</summary>
    public async Task<IReadOnlyList<ValidationResult>> ValidateAsync(IReadOnlyList<RepositoryTask> tasks, Action<TaskOutcome>? progress = null, CancellationToken cancellationToken = default)
    {
        var jobs = tasks.SelectMany(t => new[] { (t, Prediction.Gold(t), 1), (t, Prediction.Gold(t), 2), (t, Prediction.Empty(t.InstanceId), 1) }).ToList();
        var outcomes = await RunAllAsync(jobs, progress, cancellationToken).ConfigureAwait(false);
        return tasks.Select(t =>
        {
            var mine = outcomes.Where(o => o.Task.InstanceId == t.InstanceId).ToList();
            GradeReport? Find(string model, int round) => mine.FirstOrDefault(o => o.Prediction.ModelName == model && o.Round == round)?.Report;
            return new ValidationResult(t, Find("gold", 1), Find("gold", 2), Find("empty", 1), mine.Select(o => o.InputError).FirstOrDefault(e => e is not null));
        }).ToList();
    }

    private async Task<IReadOnlyList<TaskOutcome>> RunAllAsync(List<(RepositoryTask Task, Prediction Prediction, int Round)> jobs, Action<TaskOutcome>? progress, CancellationToken ct)
    {
        var results = new TaskOutcome[jobs.Count];
        using var slots = new SemaphoreSlim(Math.Max(1, parallelism));
        var running = jobs.Select(async (job, i) =>
        {
            await slots.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                results[i] = await RunOneAsync(job.Task, job.Prediction, job.Round, ct).ConfigureAwait(false);
                progress?.Invoke(results[i]);
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        await Task.WhenAll(running).ConfigureAwait(false);
        return results;
    }

    private async Task<TaskOutcome> RunOneAsync(RepositoryTask task, Prediction prediction, int round, CancellationToken ct)
    {
        var key = GradeKey.For(task, prediction, round);
        if (store.Get(key) is { } stored) return new TaskOutcome(task, prediction, round, stored, null) { Resumed = true };
        try
        {
            var report = await grader.GradeAsync(task, prediction, ct).ConfigureAwait(false);
            store.Put(key, round, report);
            return new TaskOutcome(task, prediction, round, report, null);
        }
        catch (RepositoryInputException e)
        {
            return new TaskOutcome(task, prediction, round, null, e.Message);
        }
    }
}
