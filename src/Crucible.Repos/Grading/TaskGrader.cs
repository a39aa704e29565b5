using Crucible.Repos.Environments;
using Crucible.Repos.Patching;
using Crucible.Repos.Tasks;
using Crucible.Repos.Testing;
using Crucible.Repos.Workspaces;
using Crucible.Sandbox;

namespace Crucible.Repos.Grading;

/// <summary>
/// Grades a prediction as the official harness does, inside the sandbox: workspace at the base commit → model patch
/// (its changes to the test files and to test configuration dropped) → test files reset to base → test patch → the
/// test files the test patch touches are run → JUnit XML → FAIL_TO_PASS / PASS_TO_PASS → status.
/// </summary>
public sealed class TaskGrader(SandboxPool pool, RepositorySources sources)
{
    /// <summary>Grades one prediction. Bad input (missing repository, unknown commit) throws <see cref="RepositoryInputException"/>.</summary>
    public async Task<GradeReport> GradeAsync(RepositoryTask task, Prediction prediction, CancellationToken cancellationToken = default)
    {
        var environment = sources.Environment(task);
        var repoPath = sources.RepositoryPath(task);
        var baseReport = new GradeReport
        {
            InstanceId = task.InstanceId,
            ModelName = prediction.ModelName,
            Status = GradeStatus.InfraError,
            PatchIsNone = prediction.ModelPatch is null,
            PatchExists = prediction.ModelPatch is not null,
        };
        if (task.FailToPass.Count == 0)
            return baseReport with { Status = GradeStatus.Invalid, Reason = "the task has no FAIL_TO_PASS tests, so nothing can show the issue resolved" };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var timings = new Dictionary<string, double>();
        void Lap(string stage) { timings[stage] = Math.Round(clock.Elapsed.TotalSeconds, 4); clock.Restart(); }
        TaskWorkspace workspace;
        try
        {
            workspace = await TaskWorkspace.CreateAsync(pool, task, repoPath, environment, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            return baseReport with { Reason = $"could not create the workspace: {e.Message}" };
        }
        Lap("workspace");
        GradeReport graded;
        await using (workspace.ConfigureAwait(false))
        {
            graded = await GradeInAsync(workspace, task, prediction, environment, baseReport, Lap, cancellationToken).ConfigureAwait(false);
        }
        Lap("teardown");
        return graded with { Timings = timings };
    }

    private static async Task<GradeReport> GradeInAsync(TaskWorkspace workspace, RepositoryTask task, Prediction prediction, RepoEnvironment environment,
        GradeReport baseReport, Action<string> lap, CancellationToken cancellationToken)
    {
        var testFiles = task.TestFiles;
        var guarded = new PathGlob(environment.Protected);
        var testSet = testFiles.ToHashSet(StringComparer.Ordinal);
        bool Guarded(PatchedFile f) => f.Paths.Any(p => testSet.Contains(p) || guarded.Matches(p) || Internal(p));
        var patch = prediction.ModelPatch ?? "";
        var ignored = UnifiedDiff.Parse(patch).Where(Guarded).SelectMany(f => f.Paths).Distinct(StringComparer.Ordinal).ToList();
        var modelPatch = UnifiedDiff.Parse(patch).Count == 0 ? patch : UnifiedDiff.Without(patch, Guarded);
        var report = baseReport with { IgnoredPaths = ignored };

        // One sandbox run: model patch, test files reset to base (from the workspace's own base commit), test patch,
        // then the tests. Only trusted tools run before the tests start, so the markers they print can be believed.
        var prelude = new System.Text.StringBuilder("set +e\n");
        if (!string.IsNullOrWhiteSpace(modelPatch))
            prelude.Append(PatchApplier.ChainScript(TaskWorkspace.ResultsDirectory + "/model.patch", UnifiedDiff.Parse(modelPatch).SelectMany(f => f.Paths), "model"));
        var testSections = UnifiedDiff.Parse(task.TestPatch);
        var atBase = testSections.Where(f => f.OldPath is not null).Select(f => PatchApplier.Quote(f.OldPath!)).Distinct().ToList();
        var created = testSections.Where(f => f.OldPath is null).Select(f => PatchApplier.Quote(f.Path)).Distinct().ToList();
        if (atBase.Count > 0) prelude.Append("git checkout -q HEAD -- ").AppendJoin(' ', atBase).Append('\n');
        if (created.Count > 0) prelude.Append("rm -rf -- ").AppendJoin(' ', created).Append('\n');
        prelude.Append(testSections.Count == 0
            ? "echo 'crucible-apply[test] empty'\n"
            : PatchApplier.ChainScript(TaskWorkspace.ResultsDirectory + "/test.patch", testSections.SelectMany(f => f.Paths), "test"));
        var inputs = new Dictionary<string, string> { ["model.patch"] = EndWithNewline(modelPatch), ["test.patch"] = EndWithNewline(task.TestPatch) };
        var run = await TestRunner.RunAsync(workspace.Sandbox, environment, new TestRunSpec { Tests = environment.RunnableTests(task.TestPatch) },
            prelude.ToString(), inputs, cancellationToken).ConfigureAwait(false);
        lap("sandbox_run");
        if (run.Run.Verdict == Verdict.SandboxError) return report with { Reason = $"sandbox error: {run.Run.Message}", Log = run.Log };
        var stdout = run.Run.Stdout;
        var startAt = stdout.IndexOf(TestRunner.TestsStartMarker, StringComparison.Ordinal);
        var trusted = startAt < 0 ? stdout : stdout[..startAt];
        var modelMethod = string.IsNullOrWhiteSpace(modelPatch) ? "empty" : PatchApplier.ReportedMethod(trusted, "model");
        if (modelMethod is null or "failed")
            return report with { Status = GradeStatus.NotApplied, Reason = "the model patch does not apply", Log = run.Log };
        report = report with { ApplyMethod = modelMethod };
        var testMethod = PatchApplier.ReportedMethod(trusted, "test");
        if (testMethod is null or "failed")
            return report with { Status = GradeStatus.NotApplied, Reason = "the test patch does not apply on top of the model patch", Log = run.Log };
        if (startAt < 0)
            return report with { Status = GradeStatus.Invalid, PatchApplied = true, Reason = $"the tests never started: the pre-test commands failed ({Describe(run.Run)})", Log = run.Log };
        return Decide(task, run, report with { PatchApplied = true });
    }

    // The workspace's own git data and Crucible's results directory are never a candidate patch's to change.
    private static bool Internal(string path) =>
        path.Split('/').Any(c => c is ".git") || path == TaskWorkspace.ResultsDirectory || path.StartsWith(TaskWorkspace.ResultsDirectory + "/", StringComparison.Ordinal);

    /// <summary>The status from one test run, by the rules in the class summary; pure, so it is tested on its own.</summary>
    public static GradeReport Decide(RepositoryTask task, TestRunResult run, GradeReport report)
    {
        var r = run.Run;
        report = report with
        {
            ExitCode = r.ExitCode,
            Verdict = r.Verdict.ToString(),
            CpuSeconds = r.CpuTime.TotalSeconds,
            WallSeconds = r.WallTime.TotalSeconds,
            Log = run.Log,
            TestStatuses = run.Statuses,
        };
        if (r.Verdict == Verdict.SandboxError) return report with { Status = GradeStatus.InfraError, Reason = $"sandbox error: {r.Message}" };

        static bool Passed(IReadOnlyDictionary<string, TestStatus> s, string id) => s.TryGetValue(id, out var st) && st is TestStatus.Passed or TestStatus.XFail;
        var f2pOk = task.FailToPass.Where(id => Passed(run.Statuses, id)).ToList();
        var f2pBad = task.FailToPass.Where(id => !Passed(run.Statuses, id)).ToList();
        var p2pOk = task.PassToPass.Where(id => Passed(run.Statuses, id)).ToList();
        var p2pBad = task.PassToPass.Where(id => !Passed(run.Statuses, id)).ToList();
        report = report with { FailToPassSuccess = f2pOk, FailToPassFailure = f2pBad, PassToPassSuccess = p2pOk, PassToPassFailure = p2pBad };

        if (r.Verdict is Verdict.TimeLimitExceeded or Verdict.MemoryLimitExceeded or Verdict.OutputLimitExceeded)
            return report with { Status = GradeStatus.Unresolved, Reason = $"the test run was stopped: {r.Message}" };
        if (!run.ReportFound || run.Statuses.Count == 0)
            return report with { Status = GradeStatus.Invalid, Reason = $"no evidence that the tests ran ({run.ReportProblem ?? "the report lists no tests"}; exit {Describe(r)})" };
        if (r.ExitCode != 0 && !run.AnyFailureRecorded)
            return report with { Status = GradeStatus.Invalid, Reason = $"the test command failed ({Describe(r)}) but the report records no failure" };
        if (r.ExitCode == 0 && run.AnyFailureRecorded)
            return report with { Status = GradeStatus.Invalid, Reason = "the report records failures but the test command exited 0" };
        if (f2pBad.Count == 0 && p2pBad.Count == 0)
            return report with { Status = GradeStatus.Resolved, Reason = $"{f2pOk.Count} FAIL_TO_PASS and {p2pOk.Count} PASS_TO_PASS tests pass" };
        var worst = f2pBad.Concat(p2pBad).Take(5).Select(id => $"{id}: {(run.Statuses.TryGetValue(id, out var s) ? s.ToString().ToUpperInvariant() : "MISSING")}");
        return report with { Status = GradeStatus.Unresolved, Reason = $"{f2pBad.Count} FAIL_TO_PASS and {p2pBad.Count} PASS_TO_PASS tests do not pass ({string.Join("; ", worst)})" };
    }

    private static string EndWithNewline(string patch) => patch.Length == 0 || patch.EndsWith('\n') ? patch : patch + "\n";

    private static string Describe(RunResult r) => r.Signal is { } s ? $"signal {s}" : $"exit code {r.ExitCode}";
}
