using Crucible.Judge.Execution;
using Crucible.Sandbox;

namespace Crucible.Judge;

/// <summary>
/// Judges submissions: compiles once per submission, runs every test in the same sandbox session, and decides
/// each verdict outside the untrusted process (docs/judge.md).
/// </summary>
public sealed class Judge
{
    public Judge(SandboxPool pool)
    {
        Pool = pool ?? throw new ArgumentNullException(nameof(pool));
        // Function-call and assertion tests run inside the Python harness: zygotes load it once, not every run.
        if (pool.Languages.TryGet("python", out var python) && python.Available) PythonHarness.Preload(pool);
    }

    public SandboxPool Pool { get; }

    /// <summary>
    /// Judges one submission against every test of its problem. Throws <see cref="ArgumentException"/> (bad test data,
    /// a test kind the submission's language cannot run) or <see cref="SandboxException"/> (unknown or unavailable
    /// language, oversized source) before anything runs; infrastructure failures while running become
    /// <see cref="TestOutcome.SandboxError"/> results, never wrong answers.
    /// </summary>
    public async Task<JudgeResult> JudgeAsync(Submission submission, JudgeOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= JudgeOptions.Default;
        var plan = JudgePlan.Create(Pool, submission, options);
        var session = await Pool.OpenSessionAsync(plan.SourceProgram, Pool.Options.RunLimits, plan.ExpectedRuns(options), cancellationToken).ConfigureAwait(false);
        SubmissionRun run;
        CompileResult compile;
        await using (session.ConfigureAwait(false))
        {
            compile = session.Compile;
            if (!compile.Succeeded) return CompileFailure(plan, compile, options);
            run = new SubmissionRun(Pool, plan, options, session);
            await run.RunInSessionAsync(cancellationToken).ConfigureAwait(false);
        }
        return await run.FinishAsync(compile, cancellationToken).ConfigureAwait(false);
    }

    private static JudgeResult CompileFailure(JudgePlan plan, CompileResult compile, JudgeOptions options)
    {
        var outcome = compile.Verdict == Verdict.SandboxError ? TestOutcome.SandboxError : TestOutcome.CompileError;
        var message = compile.Output.Length > options.PreviewChars * 4 ? compile.Output[..(options.PreviewChars * 4)] + "…" : compile.Output;
        var results = plan.Tests.Select((t, i) => (TestResult?)new TestResult { Index = i, Name = t.Name, Outcome = outcome, Message = message }).ToArray();
        return SubmissionRun.BuildResult(plan, results, compile, options with { StopAtFirstFailure = false });
    }
}
