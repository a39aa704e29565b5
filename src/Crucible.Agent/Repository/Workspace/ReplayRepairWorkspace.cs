using System.Collections.Concurrent;
using Crucible.Agent.Repository.Verification;
using Crucible.Agent.Solving;

namespace Crucible.Agent.Repository.Workspace;

/// <summary>
/// Replays a recorded repository run without the sandbox's test runs: edits, diffs and patches still happen in the
/// wrapped workspace, but each test run is answered with the recorded result for the same (patch, tests). Together
/// with <see cref="ReplayModelClient"/> a trace replays offline; a run that diverges stops with an error saying so.
/// </summary>
public sealed class ReplayRepairWorkspace : IRepairWorkspace
{
    private readonly IRepairWorkspace _inner;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<TestRunEvent>> _runs = new(StringComparer.Ordinal);

    public ReplayRepairWorkspace(IRepairWorkspace inner, SolveTrace trace)
    {
        _inner = inner;
        foreach (var run in trace.Events.OfType<TestRunEvent>().OrderBy(e => e.Sequence))
            _runs.GetOrAdd(Key(run.PatchHash, run.Tests), _ => new ConcurrentQueue<TestRunEvent>()).Enqueue(run);
    }

    public string Root => _inner.Root;
    public string? ReadText(string relativePath) => _inner.ReadText(relativePath);
    public void WriteText(string relativePath, string content) => _inner.WriteText(relativePath, content);
    public void Delete(string relativePath) => _inner.Delete(relativePath);
    public Task<string> DiffAsync(CancellationToken cancellationToken) => _inner.DiffAsync(cancellationToken);
    public Task ResetAsync(CancellationToken cancellationToken) => _inner.ResetAsync(cancellationToken);
    public Task<bool> ApplyAsync(string patch, CancellationToken cancellationToken) => _inner.ApplyAsync(patch, cancellationToken);

    public async Task<RepairTestRun> RunTestsAsync(IReadOnlyList<string> tests, CancellationToken cancellationToken)
    {
        var patch = await _inner.DiffAsync(cancellationToken).ConfigureAwait(false);
        if (!_runs.TryGetValue(Key(PatchText.Hash(patch), tests), out var queue) || !queue.TryDequeue(out var run))
            throw new InvalidOperationException("replay: the trace has no recorded test run for this patch and these tests; the run diverged from the recorded one");
        return new RepairTestRun
        {
            Statuses = run.Statuses, Log = run.Log, Problem = run.Problem, InfrastructureError = run.InfrastructureError, DurationMs = run.DurationMs,
        };
    }

    private static string Key(string patchHash, IEnumerable<string> tests) => patchHash + "\n" + string.Join('\n', tests);
}
