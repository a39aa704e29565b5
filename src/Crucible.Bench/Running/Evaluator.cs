using System.Collections.Concurrent;
using System.Diagnostics;
using Crucible.Judge;

namespace Crucible.Bench;

/// <summary>
/// Runs a sample set against a dataset: each distinct submission is judged once (identical samples share the
/// verdict), results already in the store are reused, and each new result is written the moment it completes —
/// so an interrupted run loses only the submissions in flight, and rerunning resumes where it stopped.
/// Infrastructure errors are stored but re-judged on the next run, never scored.
/// </summary>
public sealed class Evaluator(ISubmissionJudge judge, ResultStore store, EvalOptions? options = null)
{
    private readonly EvalOptions _options = options ?? new EvalOptions();

    public async Task<EvalRun> RunAsync(Dataset dataset, SampleSet samples, IProgress<EvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (dataset.PendingOracles.Count > 0)
            throw new InvalidOperationException($"{dataset.Name} still needs expected outputs for {dataset.PendingOracles.Count} problems; run ReferenceOracle.CompleteAsync first.");
        if (_options.Parallelism < 1) throw new ArgumentOutOfRangeException(nameof(options), "Parallelism must be at least 1.");
        var clock = Stopwatch.StartNew();
        // A problem's hash serializes each of its tests (HumanEval+: hundreds per problem), before the first sample
        // can start: both cores share that.
        var problemHashes = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        Parallel.ForEach(samples.Samples.Select(s => s.ProblemId).Distinct(StringComparer.Ordinal), new ParallelOptions { CancellationToken = cancellationToken }, id =>
        {
            if (dataset.Find(id) is { } p) problemHashes[p.Id] = ResultKey.ProblemHash(p);
        });
        var work = new List<(Sample Sample, Submission Submission, string Key)>(samples.Samples.Count);
        foreach (var s in samples.Samples)
        {
            var problem = dataset.Find(s.ProblemId) ?? throw new InvalidOperationException($"sample {s.Location} names unknown problem {s.ProblemId}");
            var ph = problemHashes[problem.Id]; // every problem a sample names was hashed above
            var submission = new Submission(problem, s.Language, s.Code);
            // The grader decides the stored overall outcome, so it is part of the key.
            var fingerprint = judge.Fingerprint(submission) + (_options.Grader == Grader.Strict ? "" : ";grader=" + _options.Grader)
                + (EvalPlusSplits.IsSplit(problem) ? ";evalplus-rules=2" : "");
            work.Add((s, submission, ResultKey.Compute(ph, s.Language, s.Code, fingerprint)));
        }

        var stored = store.LoadAll();
        var results = new ConcurrentDictionary<string, SampleResult>(StringComparer.Ordinal);
        var reusedKeys = new HashSet<string>(StringComparer.Ordinal);
        var pending = new List<(Submission Submission, string Key)>();
        foreach (var group in work.GroupBy(w => w.Key))
        {
            var problem = group.First().Submission.Problem;
            if (problem.Tests.Count == 0)
            {
                // Nothing to judge by: a dataset fault, reported with the dataset's issues; never a pass, never scored.
                results[group.Key] = new SampleResult
                {
                    Key = group.Key, ProblemId = problem.Id, Language = group.First().Submission.Language, Outcome = TestOutcome.Skipped,
                    Message = "not judged: the problem has no usable tests (a dataset problem)", JudgedAt = DateTimeOffset.UtcNow,
                };
                reusedKeys.Add(group.Key);
            }
            else if (stored.TryGetValue(group.Key, out var r) && !r.IsInfrastructureError)
            {
                results[group.Key] = r;
                reusedKeys.Add(group.Key);
            }
            else
            {
                pending.Add((group.First().Submission, group.Key));
            }
        }

        var total = reusedKeys.Count + pending.Count;
        int completed = reusedKeys.Count, passed = reusedKeys.Count(k => results[k].Passed), infra = 0;
        progress?.Report(new EvalProgress(total, completed, reusedKeys.Count, passed, infra, clock.Elapsed));

        // Longest-first keeps the tail of the run short when a few problems have many tests.
        pending.Sort((a, b) => b.Submission.Problem.Tests.Count.CompareTo(a.Submission.Problem.Tests.Count));
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            var started = Stopwatch.StartNew();
            JudgeResult verdict;
            try
            {
                verdict = await judge.JudgeAsync(item.Submission, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                verdict = new JudgeResult { Outcome = TestOutcome.SandboxError, TotalTests = item.Submission.Problem.Tests.Count, Message = $"judge failed: {e.GetType().Name}: {e.Message}" };
            }
            var result = SampleResult.From(item.Key, item.Submission, verdict, started.Elapsed, _options.Grader);
            store.Put(result);
            results[item.Key] = result;
            var done = Interlocked.Increment(ref completed);
            var p = result.Passed ? Interlocked.Increment(ref passed) : Volatile.Read(ref passed);
            var i = result.IsInfrastructureError ? Interlocked.Increment(ref infra) : Volatile.Read(ref infra);
            progress?.Report(new EvalProgress(total, done, reusedKeys.Count, p, i, clock.Elapsed));
        }).ConfigureAwait(false);

        return new EvalRun
        {
            Dataset = dataset,
            Samples = samples,
            Outcomes = work.Select(w => new SampleOutcome(w.Sample, results[w.Key], reusedKeys.Contains(w.Key))).ToList(),
            Judged = pending.Count,
            Reused = reusedKeys.Count,
            Elapsed = clock.Elapsed,
            Grader = _options.Grader,
        };
    }
}
