using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
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

    /// <summary>Judges the samples against a dataset whose expected outputs are all known.</summary>
    public Task<EvalRun> RunAsync(Dataset dataset, SampleSet samples, IProgress<EvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (dataset.PendingOracles.Count > 0)
            throw new InvalidOperationException($"{dataset.Name} still needs expected outputs for {dataset.PendingOracles.Count} problems; run ReferenceOracle.CompleteAsync first, or pass ReferenceOracle.Start's outputs.");
        return RunAsync(ExpectedOutputs.Complete(dataset), samples, progress, cancellationToken);
    }

    /// <summary>
    /// Judges the samples while expected outputs are still being computed: a problem's samples start as soon as its own
    /// answers are in (the reference runs, biggest first, and the judging share the machine), so the evaluation does
    /// not wait for the slowest reference before judging anything. The run's dataset is the completed one.
    /// </summary>
    public async Task<EvalRun> RunAsync(ExpectedOutputs data, SampleSet samples, IProgress<EvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (_options.Parallelism < 1) throw new ArgumentOutOfRangeException(nameof(options), "Parallelism must be at least 1.");
        var clock = Stopwatch.StartNew();
        var byProblem = new Dictionary<string, List<int>>(StringComparer.Ordinal); // sample indices, in file order
        for (var i = 0; i < samples.Samples.Count; i++)
        {
            var s = samples.Samples[i];
            if (data.Loaded.Find(s.ProblemId) is null) throw new InvalidOperationException($"sample {s.Location} names unknown problem {s.ProblemId}");
            if (!byProblem.TryGetValue(s.ProblemId, out var list)) byProblem[s.ProblemId] = list = [];
            list.Add(i);
        }
        // Identical samples of a problem share one key; counted up front so progress has its total from the start.
        var total = byProblem.Sum(kv => kv.Value.Select(i => (samples.Samples[i].Language, samples.Samples[i].Code)).Distinct().Count());
        var keys = new string[samples.Samples.Count];
        var stored = store.LoadAll();
        var results = new ConcurrentDictionary<string, SampleResult>(StringComparer.Ordinal);
        var reusedKeys = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var claimed = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        int completed = 0, passed = 0, infra = 0, judged = 0;
        progress?.Report(new EvalProgress(total, 0, 0, 0, 0, clock.Elapsed));

        // Ready problems become work as they come: those known now all at once, the rest as their answers arrive.
        var work = Channel.CreateUnbounded<(Submission Submission, string Key)>(new UnboundedChannelOptions { SingleWriter = true });
        var feeder = FeedAsync();
        await Admission.RunAsync(work.Reader, _options.Parallelism, _options.ExtraLightSubmissions, item => item.Submission.Problem, async (item, ct) =>
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
            Interlocked.Increment(ref judged);
            Report(result.Passed, result.IsInfrastructureError);
        }, cancellationToken).ConfigureAwait(false);
        await feeder.ConfigureAwait(false); // its failure (a reference run's) surfaced through the channel already
        var dataset = await data.Completed.ConfigureAwait(false);

        return new EvalRun
        {
            Dataset = dataset,
            Samples = samples,
            Outcomes = samples.Samples.Select((s, i) => new SampleOutcome(s, results[keys[i]], reusedKeys.ContainsKey(keys[i]))).ToList(),
            Judged = judged,
            Reused = reusedKeys.Count,
            Elapsed = clock.Elapsed,
            Grader = _options.Grader,
        };

        void Report(bool pass, bool infrastructure)
        {
            var done = Interlocked.Increment(ref completed);
            var p = pass ? Interlocked.Increment(ref passed) : Volatile.Read(ref passed);
            var i = infrastructure ? Interlocked.Increment(ref infra) : Volatile.Read(ref infra);
            progress?.Report(new EvalProgress(total, done, reusedKeys.Count, p, i, clock.Elapsed));
        }

        async Task FeedAsync()
        {
            await Task.Yield();
            try
            {
                var waiting = new List<Task<Problem>>();
                var now = new List<Problem>();
                foreach (var id in byProblem.Keys)
                {
                    var t = data.ProblemAsync(id);
                    if (t.IsCompletedSuccessfully) now.Add(t.Result);
                    else waiting.Add(t);
                }
                // A problem's hash serializes each of its tests (HumanEval+: hundreds per problem): both cores share that.
                var hashes = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
                Parallel.ForEach(now, new ParallelOptions { CancellationToken = cancellationToken }, p => hashes[p.Id] = ResultKey.ProblemHash(p));
                Enqueue(now, hashes);
                await foreach (var t in Task.WhenEach(waiting).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    var p = await t.ConfigureAwait(false);
                    hashes[p.Id] = ResultKey.ProblemHash(p);
                    Enqueue([p], hashes);
                }
                work.Writer.Complete();
            }
            catch (Exception e)
            {
                work.Writer.Complete(e);
            }
        }

        void Enqueue(List<Problem> problems, ConcurrentDictionary<string, string> hashes)
        {
            var pending = new List<(Submission Submission, string Key)>();
            foreach (var problem in problems)
            {
                foreach (var i in byProblem[problem.Id])
                {
                    var s = samples.Samples[i];
                    var submission = new Submission(problem, s.Language, s.Code);
                    // The grader decides the stored overall outcome, so it is part of the key.
                    var fingerprint = judge.Fingerprint(submission) + (_options.Grader == Grader.Strict ? "" : ";grader=" + _options.Grader)
                        + (EvalPlusSplits.IsSplit(problem) ? ";evalplus-rules=2" : "");
                    var key = keys[i] = ResultKey.Compute(hashes[problem.Id], s.Language, s.Code, fingerprint);
                    // Identical samples (of this problem, or the same tests and code under another id) are decided once.
                    if (!claimed.TryAdd(key, true)) continue;
                    if (problem.Tests.Count == 0)
                    {
                        // Nothing to judge by: a dataset fault, reported with the dataset's issues; never a pass, never scored.
                        results[key] = new SampleResult
                        {
                            Key = key, ProblemId = problem.Id, Language = submission.Language, Outcome = TestOutcome.Skipped,
                            Message = "not judged: the problem has no usable tests (a dataset problem)", JudgedAt = DateTimeOffset.UtcNow,
                        };
                    }
                    else if (stored.TryGetValue(key, out var r) && !r.IsInfrastructureError)
                    {
                        results[key] = r;
                    }
                    else
                    {
                        pending.Add((submission, key));
                        continue;
                    }
                    reusedKeys[key] = true;
                    Report(results[key].Passed, false);
                }
            }
            // Longest first keeps the tail of the run short when a few problems have many tests (ordering by the size of
            // the expected outputs as well was tried: no shorter on HumanEval+, whose largest answers then met in memory).
            pending.Sort((a, b) => b.Submission.Problem.Tests.Count.CompareTo(a.Submission.Problem.Tests.Count));
            foreach (var item in pending)
                if (!work.Writer.TryWrite(item)) throw new InvalidOperationException("the evaluation's work channel refused an item");
        }
    }
}
