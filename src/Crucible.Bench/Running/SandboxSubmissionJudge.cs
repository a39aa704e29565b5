using System.Globalization;
using System.Reflection;
using System.Text;
using Crucible.Judge;
using Crucible.Sandbox;

namespace Crucible.Bench;

/// <summary>The production <see cref="ISubmissionJudge"/>: <see cref="Crucible.Judge.Judge"/> over a sandbox pool.</summary>
public sealed class SandboxSubmissionJudge(Crucible.Judge.Judge judge, JudgeOptions? options = null) : ISubmissionJudge
{
    // The release version without build metadata (+commit): results stay reusable across rebuilds of one version,
    // and a new release (whose judging may differ) re-judges.
    private static readonly string JudgeVersion =
        (typeof(Crucible.Judge.Judge).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown").Split('+')[0];

    public JudgeOptions Options { get; } = options ?? JudgeOptions.Default;

    public async Task<JudgeResult> JudgeAsync(Submission submission, CancellationToken cancellationToken)
    {
        if (WrongLanguage(submission) is { } wrong) return wrong;
        try
        {
            return await judge.JudgeAsync(submission, Options, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // Unknown/missing toolchains and judge faults say nothing about the code: not scored, retried on resume.
            return new JudgeResult { Outcome = TestOutcome.SandboxError, TotalTests = submission.Problem.Tests.Count, Message = $"{e.GetType().Name}: {e.Message}" };
        }
    }

    /// <summary>
    /// Function-call and assertion tests call Python code. A sample written in another language the sandbox knows
    /// (a model that answered in C++) is the sample's fault: a wrong answer on every test, scored 0, as
    /// <c>/v1/rewards</c> scores it. Unknown languages stay invalid input, reported before judging.
    /// </summary>
    private JudgeResult? WrongLanguage(Submission submission)
    {
        if (!judge.Pool.Languages.TryGet(submission.Language, out var language) || language.Id == "python") return null;
        var tests = submission.Problem.Tests;
        if (!tests.Any(t => t.CallsIntoPython)) return null;
        var message = $"the problem's tests call Python functions but the sample is {language.Id}; scored as a wrong answer";
        return new JudgeResult
        {
            Outcome = TestOutcome.WrongAnswer,
            TotalTests = tests.Count,
            Message = message,
            Tests = tests.Select((t, i) => new TestResult { Index = i, Name = t.Name, Outcome = TestOutcome.WrongAnswer, Message = message }).ToList(),
        };
    }

    public string Fingerprint(Submission submission)
    {
        var sb = new StringBuilder();
        sb.Append("judge=").Append(JudgeVersion);
        sb.Append(";stop=").Append(Options.StopAtFirstFailure);
        sb.Append(";cpu=").Append(Options.DefaultCpuTimePerTest.TotalMilliseconds.ToString(CultureInfo.InvariantCulture));
        sb.Append(";mem=").Append(Options.DefaultMemoryBytes.ToString(CultureInfo.InvariantCulture));
        sb.Append(";cpu_override=").Append(Options.CpuTimePerTestOverride?.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) ?? "-");
        var languages = new SortedSet<string>(StringComparer.Ordinal) { submission.Language };
        foreach (var c in submission.Problem.Tests.OfType<CheckerTest>()) languages.Add(c.CheckerLanguage);
        // Function-call and assertion harnesses run in the problem's language when it differs from the sample's.
        languages.Add(submission.Problem.Language);
        foreach (var l in languages)
            sb.Append(";lang:").Append(l).Append('=').Append(judge.Pool.Languages.TryGet(l, out var lang) ? $"{lang.Id} {lang.Version ?? "unavailable"}" : "unknown");
        return sb.ToString();
    }
}
