using System.Diagnostics;
using Crucible.Agent.Repository.Verification;
using Crucible.Repos.Testing;
using Crucible.Repos.Workspaces;
using Crucible.Sandbox;

namespace Crucible.Agent.Repository.Workspace;

/// <summary>
/// <see cref="IRepairWorkspace"/> over Crucible.Repos' <see cref="TaskWorkspace"/>: the base tree as the single commit
/// of a fresh git repository in a sandbox workspace. Files are read and written through the sandbox's own file calls
/// (never following symlinks); diffs, patches and tests run inside the sandbox as the workspace's uid.
/// </summary>
public sealed class SandboxRepairWorkspace(TaskWorkspace workspace) : IRepairWorkspace, IAsyncDisposable
{
    public TaskWorkspace Inner { get; } = workspace;

    public string Root => Inner.Sandbox.HostPath;

    public string? ReadText(string relativePath) => Inner.ReadText(relativePath);

    public void WriteText(string relativePath, string content) => Inner.WriteText(relativePath, content);

    public void Delete(string relativePath)
    {
        try { Inner.Sandbox.Delete(relativePath); }
        catch (SandboxException) { }
    }

    public Task<string> DiffAsync(CancellationToken cancellationToken) => Inner.DiffAsync(cancellationToken);

    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        var diff = await Inner.DiffAsync(cancellationToken).ConfigureAwait(false);
        if (diff.Length > 0) await Inner.ResetToBaseAsync(PatchText.Files(diff), cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> ApplyAsync(string patch, CancellationToken cancellationToken)
    {
        var outcome = await Inner.ApplyPatchAsync(patch, cancellationToken).ConfigureAwait(false);
        if (outcome.InfrastructureError is { } error) throw new IOException("applying a patch in the sandbox failed: " + error);
        return outcome.Applied;
    }

    public async Task<RepairTestRun> RunTestsAsync(IReadOnlyList<string> tests, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var run = await Inner.RunTestsAsync(new TestRunSpec { Tests = tests }, cancellationToken).ConfigureAwait(false);
        return new RepairTestRun
        {
            Statuses = run.Statuses.ToDictionary(kv => kv.Key, kv => kv.Value.ToString().ToLowerInvariant(), StringComparer.Ordinal),
            Log = run.Log,
            Problem = run.ReportFound ? null : run.ReportProblem ?? "no test report",
            InfrastructureError = run.Run.Verdict == Verdict.SandboxError,
            DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
        };
    }

    public ValueTask DisposeAsync() => Inner.DisposeAsync();
}
