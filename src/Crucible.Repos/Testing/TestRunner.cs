using System.Text;
using Crucible.Repos.Environments;
using Crucible.Repos.Workspaces;
using Crucible.Sandbox;

namespace Crucible.Repos.Testing;

/// <summary>
/// Runs an environment's pre-test commands and test command in one sandbox run and reads the JUnit XML it leaves.
/// The report file is deleted before the run, so a stale or planted one is never read; it is read without following
/// symlinks. The exit status and the report are returned as they are: deciding what they mean is the grader's job.
/// </summary>
public static class TestRunner
{
    public const string JUnitPath = TaskWorkspace.ResultsDirectory + "/junit.xml";
    private const int LogTailBytes = 16 * 1024;

    /// <summary>Printed right before the test command starts: stdout before it comes from trusted tools only.</summary>
    public const string TestsStartMarker = "crucible-tests: start";

    public static Task<TestRunResult> RunAsync(SandboxWorkspace workspace, RepoEnvironment environment, TestRunSpec spec, CancellationToken cancellationToken = default) =>
        RunAsync(workspace, environment, spec, null, null, cancellationToken);

    /// <summary>
    /// As above, with <paramref name="prelude"/> (shell run first, in the same sandbox run; it may <c>exit</c> to stop
    /// before the tests) and <paramref name="inputs"/> placed under the results directory before the run.
    /// </summary>
    internal static async Task<TestRunResult> RunAsync(SandboxWorkspace workspace, RepoEnvironment environment, TestRunSpec spec, string? prelude,
        IReadOnlyDictionary<string, string>? inputs, CancellationToken cancellationToken)
    {
        workspace.Delete(TaskWorkspace.ResultsDirectory);
        foreach (var (name, content) in inputs ?? new Dictionary<string, string>())
            workspace.WriteFile(TaskWorkspace.ResultsDirectory + "/" + name, Encoding.UTF8.GetBytes(content));
        var command = (prelude ?? "") + BuildCommand(environment, spec.Tests);
        var env = new Dictionary<string, string>(Patching.PatchApplier.GitEnvironment)
        {
            ["PYTHONDONTWRITEBYTECODE"] = "1",
        };
        foreach (var (k, v) in environment.Env) env[k] = v;
        if (Directory.Exists(environment.Interpreter))
            env["PATH"] = Path.Combine(environment.Interpreter, "bin") + ":/usr/local/bin:/usr/bin:/bin";
        var run = await workspace.RunAsync(new WorkspaceCommand
        {
            Argv = ["/bin/sh", "-c", command],
            Environment = env,
            ReadOnlyPaths = environment.ReadOnlyPaths,
            Limits = spec.Limits ?? environment.Limits,
        }, cancellationToken).ConfigureAwait(false);
        var log = Tail(run.Stdout + (run.StderrBytes.Length > 0 ? "\n--- stderr ---\n" + run.Stderr : ""));
        if (run.Verdict == Verdict.SandboxError) return new TestRunResult { Run = run, Log = log, ReportProblem = "sandbox error" };
        var xml = workspace.ReadFile(JUnitPath, 256L << 20);
        if (xml is null) return new TestRunResult { Run = run, Log = log, ReportProblem = $"no JUnit XML at {JUnitPath}" };
        try
        {
            return new TestRunResult { Run = run, Log = log, ReportFound = true, Statuses = JUnitReport.Parse(xml) };
        }
        catch (FormatException e)
        {
            return new TestRunResult { Run = run, Log = log, ReportProblem = $"unreadable JUnit XML: {e.Message}" };
        }
    }

    /// <summary>The shell line: pre-test commands must succeed, then the test command with its placeholders filled.</summary>
    public static string BuildCommand(RepoEnvironment environment, IReadOnlyList<string> tests)
    {
        var sb = new StringBuilder("set -e\nmkdir -p ").Append(TaskWorkspace.ResultsDirectory).Append('\n');
        foreach (var pre in environment.PreTest) sb.Append(pre).Append('\n');
        var testCommand = environment.TestCommand
            .Replace("{python}", Quote(environment.PythonExecutable), StringComparison.Ordinal)
            .Replace("{junit}", Quote(SandboxWorkspace.MountPath + "/" + JUnitPath), StringComparison.Ordinal)
            .Replace("{tests}", string.Join(' ', tests.Select(Quote)), StringComparison.Ordinal);
        sb.Append("set +e\necho '").Append(TestsStartMarker).Append("'\n").Append(testCommand).Append('\n');
        return sb.ToString();
    }

    internal static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Tail(string s) => s.Length <= LogTailBytes ? s : "…" + s[^LogTailBytes..];
}
