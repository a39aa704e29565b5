using System.Runtime.CompilerServices;
using Crucible.Repos.Environments;
using Crucible.Repos.Patching;
using Crucible.Repos.Tasks;
using Crucible.Repos.Testing;
using Crucible.Repos.Workspaces;
using Crucible.Sandbox;

namespace Crucible.Repos.Mining;

/// <summary>
/// Turns a repository's fix commits into tasks: a commit that changes both source and tests is split into a gold patch
/// (source) and a test patch (tests); the buggy base is the fix with its source change reversed, which is the fix's
/// parent plus the test patch. The test files are run in the sandbox without and with the source change; tests that
/// fail without it and pass with it are FAIL_TO_PASS, tests that pass both times PASS_TO_PASS. A task is kept only
/// with at least one of each.
/// </summary>
public sealed class TaskMiner(SandboxPool pool, RepoEnvironment environment, IProblemStatementWriter? statements = null)
{
    private readonly IProblemStatementWriter _statements = statements ?? new PlaceholderStatementWriter();

    public async IAsyncEnumerable<MiningResult> MineAsync(string repositoryPath, MiningOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var gitDir = Git.GitDirectory(repositoryPath) ?? throw new RepositoryInputException($"{repositoryPath} is not a git repository; crucible swe mine needs a local clone.");
        var repo = options.Repo ?? RepoName(repositoryPath);
        var revs = await Git.RunAsync(null, ["--git-dir", gitDir, "rev-list", "--no-merges", $"--max-count={options.MaxCommits}", options.Revision], ct: cancellationToken).ConfigureAwait(false);
        if (revs.ExitCode != 0) throw new RepositoryInputException($"{repositoryPath}: revision '{options.Revision}' not found ({revs.Stderr.Trim()}).");
        var testGlobs = new PathGlob(options.TestGlobs);
        var sourceGlobs = new PathGlob(options.SourceGlobs);
        var kept = 0;
        foreach (var commit in revs.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (kept >= options.MaxTasks) yield break;
            var result = await MineCommitAsync(gitDir, repositoryPath, repo, commit, testGlobs, sourceGlobs, cancellationToken).ConfigureAwait(false);
            if (result.Task is not null) kept++;
            yield return result;
        }
    }

    private async Task<MiningResult> MineCommitAsync(string gitDir, string repositoryPath, string repo, string commit, PathGlob testGlobs, PathGlob sourceGlobs, CancellationToken ct)
    {
        var meta = (await Git.RequireAsync(null, ["--git-dir", gitDir, "show", "-s", "--format=%P%n%cI%n%s", commit], ct: ct).ConfigureAwait(false)).Text.Split('\n');
        var parents = meta[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var subject = meta.Length > 2 ? meta[2] : "";
        if (parents.Length != 1) return new MiningResult(commit, subject, null, "root commit (no parent to be the buggy base)");
        var parent = parents[0];
        var changed = (await Git.RequireAsync(null, ["--git-dir", gitDir, "-c", "core.quotepath=off", "diff", "--name-only", "-z", parent, commit], ct: ct).ConfigureAwait(false))
            .Text.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var tests = changed.Where(testGlobs.Matches).ToList();
        var sources = changed.Where(p => !testGlobs.Matches(p)).ToList();
        if (tests.Count == 0) return new MiningResult(commit, subject, null, "changes no tests");
        if (!sources.Any(sourceGlobs.Matches)) return new MiningResult(commit, subject, null, "changes no source files");
        var gold = await DiffAsync(gitDir, parent, commit, sources, ct).ConfigureAwait(false);
        var testPatch = await DiffAsync(gitDir, parent, commit, tests, ct).ConfigureAwait(false);
        var task = new RepositoryTask
        {
            InstanceId = $"{repo.Replace("/", "__", StringComparison.Ordinal)}-{commit[..10]}",
            Repo = repo,
            BaseCommit = parent,
            GoldPatch = gold,
            TestPatch = testPatch,
            CreatedAt = meta.Length > 1 ? meta[1] : null,
            RepoPath = Path.GetFullPath(repositoryPath),
        };
        var (before, beforeWhy) = await RunSideAsync(task, repositoryPath, withFix: false, ct).ConfigureAwait(false);
        if (before is null) return new MiningResult(commit, subject, null, "without the fix: " + beforeWhy);
        var (after, afterWhy) = await RunSideAsync(task, repositoryPath, withFix: true, ct).ConfigureAwait(false);
        if (after is null) return new MiningResult(commit, subject, null, "with the fix: " + afterWhy);
        static bool Passed(TestRunResult r, string id) => r.Statuses.TryGetValue(id, out var s) && s is TestStatus.Passed or TestStatus.XFail;
        var ids = after.Statuses.Keys.Order(StringComparer.Ordinal).ToList();
        var f2p = ids.Where(id => Passed(after, id) && !Passed(before, id)).ToList();
        var p2p = ids.Where(id => Passed(after, id) && Passed(before, id)).ToList();
        if (f2p.Count == 0) return new MiningResult(commit, subject, null, "no test fails without the fix and passes with it");
        if (p2p.Count == 0) return new MiningResult(commit, subject, null, "no test passes both without and with the fix");
        var statement = await _statements.WriteAsync(new MinedCandidate
        {
            Repo = repo, Commit = commit, Subject = subject, GoldPatch = gold, TestPatch = testPatch, FailToPass = f2p, FailingLog = before.Log,
        }, ct).ConfigureAwait(false);
        return new MiningResult(commit, subject, task with { FailToPass = f2p, PassToPass = p2p, ProblemStatement = statement }, null);
    }

    /// <summary>The test files run at the base plus the test patch, with or without the source change.</summary>
    private async Task<(TestRunResult? Run, string Why)> RunSideAsync(RepositoryTask task, string repositoryPath, bool withFix, CancellationToken ct)
    {
        await using var ws = await TaskWorkspace.CreateAsync(pool, task, repositoryPath, environment, cancellationToken: ct).ConfigureAwait(false);
        if (withFix)
        {
            var fix = await ws.ApplyPatchAsync(task.GoldPatch, ct).ConfigureAwait(false);
            if (!fix.Applied) return (null, fix.InfrastructureError ?? "the source change does not apply: " + fix.Log);
        }
        var applied = await ws.ApplyPatchAsync(task.TestPatch, ct).ConfigureAwait(false);
        if (!applied.Applied) return (null, applied.InfrastructureError ?? "the test change does not apply: " + applied.Log);
        var run = await ws.RunTestsAsync(new TestRunSpec { Tests = environment.RunnableTests(task.TestPatch) }, ct).ConfigureAwait(false);
        if (run.Run.Verdict == Verdict.SandboxError) return (null, "sandbox error: " + run.Run.Message);
        if (!run.ReportFound || run.Statuses.Count == 0) return (null, $"no test results ({run.ReportProblem ?? "no tests reported"})");
        return (run, "");
    }

    private static async Task<string> DiffAsync(string gitDir, string from, string to, IReadOnlyList<string> paths, CancellationToken ct)
    {
        var args = new List<string> { "--git-dir", gitDir, "-c", "core.quotepath=off", "diff", "--no-color", "--no-ext-diff", "--binary", from, to, "--" };
        args.AddRange(paths.Select(p => ":(literal)" + p));
        return (await Git.RequireAsync(null, args, ct: ct).ConfigureAwait(false)).Text;
    }

    private static string RepoName(string path)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
        if (name.EndsWith(".git", StringComparison.Ordinal)) name = name[..^4];
        var split = name.IndexOf("__", StringComparison.Ordinal);
        return split > 0 ? name[..split] + "/" + name[(split + 2)..] : "local/" + name;
    }
}
