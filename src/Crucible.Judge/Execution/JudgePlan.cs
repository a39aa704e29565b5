using System.Text.RegularExpressions;
using Crucible.Judge.Values;
using Crucible.Sandbox;

namespace Crucible.Judge.Execution;

/// <summary>
/// A submission checked and prepared before anything runs: the program the session compiles (the solution itself,
/// or the Python harness around it), the parsed expected values. Every bad input is rejected here, with the test
/// and the fix named, so nothing is lost halfway.
/// </summary>
internal sealed partial record JudgePlan(Submission Submission, string LanguageId, string Program, bool Harnessed, IReadOnlyDictionary<int, PyValue> Expected)
{
    /// <summary>The program as the sandbox runs it: with the short form for zygotes that preloaded the harness.</summary>
    public SourceProgram SourceProgram => new(LanguageId, Program) { WhenPreloaded = PreloadedProgram is { } p ? new PreloadedVariant(PythonHarness.ModuleName, p) : null };

    /// <summary>The short form from <see cref="PythonHarness.BuildPrograms"/> for harnessed plans; null otherwise.</summary>
    public string? PreloadedProgram { get; init; }

    public IReadOnlyList<TestCase> Tests => Submission.Problem.Tests;

    private const int LazyExpectedChars = 64 * 1024;

    /// <summary>
    /// Sandbox runs judging takes when nothing fails: one per stdin or checker test, one per group of consecutive
    /// Python-call tests of one kind when batching (one per such test otherwise).
    /// </summary>
    public int ExpectedRuns(JudgeOptions options)
    {
        var runs = 0;
        for (var i = 0; i < Tests.Count; runs++)
            i = options.Batch && Tests[i].CallsIntoPython ? CallGroupEnd(i) : i + 1;
        return runs;
    }

    /// <summary>
    /// Where the group of Python-call tests starting at <paramref name="start"/> ends (exclusive): the consecutive
    /// tests of the same kind and the same group, which are judged together.
    /// </summary>
    public int CallGroupEnd(int start)
    {
        var first = Tests[start];
        var end = start;
        while (end < Tests.Count && Tests[end].GetType() == first.GetType() && Tests[end].Group == first.Group) end++;
        return end;
    }

    /// <summary>The expected value of function-call test <paramref name="index"/>; a large one is parsed now (FormatException if malformed).</summary>
    public PyValue ExpectedValue(int index) =>
        Expected.TryGetValue(index, out var v) ? v : PyJson.Parse(((FunctionCallTest)Tests[index]).ExpectedJson ?? "");

    public static JudgePlan Create(SandboxPool pool, Submission submission, JudgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var problem = submission.Problem ?? throw new ArgumentException("The submission has no problem.", nameof(submission));
        if (options.PreviewChars < 0) throw new ArgumentException($"JudgeOptions.PreviewChars must not be negative, got {options.PreviewChars}.", nameof(options));
        if (options.MaxAssertionRounds < 1) throw new ArgumentException($"JudgeOptions.MaxAssertionRounds must be at least 1, got {options.MaxAssertionRounds}.", nameof(options));
        if (problem.Tests.Count == 0)
            throw new ArgumentException($"Problem '{problem.Id}' has no tests; a submission cannot be judged (and must not pass) without any.", nameof(submission));
        var language = pool.Languages.Require(submission.Language);
        var isPython = language.Id == "python";
        var calls = false;
        for (var i = 0; i < problem.Tests.Count; i++)
        {
            var test = problem.Tests[i] ?? throw new ArgumentException($"Problem '{problem.Id}' test {i + 1} is null.", nameof(submission));
            switch (test)
            {
                case FunctionCallTest:
                    calls = true; // checked and parsed below, once for all samples of the problem
                    break;
                case AssertionTest a:
                    calls = true;
                    if (string.IsNullOrWhiteSpace(a.Script)) throw Bad(problem, i, "has an empty assertion script");
                    break;
                case CheckerTest c:
                    if (string.IsNullOrWhiteSpace(c.CheckerSource)) throw Bad(problem, i, "has an empty checker source");
                    try { pool.Languages.Require(c.CheckerLanguage); }
                    catch (SandboxException e) { throw Bad(problem, i, "has a checker this machine cannot run: " + e.Message); }
                    break;
                case StdioTest:
                    break;
                default:
                    throw Bad(problem, i, $"is of an unknown kind ({test.GetType().Name})");
            }
        }
        if (calls && !isPython)
            throw new ArgumentException(
                $"Problem '{problem.Id}' has function-call or assertion tests, which call into Python code; the submission is " +
                $"'{submission.Language}'. Submit Python, or judge against stdin/stdout tests only.", nameof(submission));
        // Another sample of a recently judged problem: its function-call tests are already checked and parsed.
        var expected = calls ? ParsedCalls.GetOrParse(problem.Tests, () => ParseCalls(problem)) : new Dictionary<int, PyValue>();
        var code = PrepareCode(pool, submission);
        var (program, preloaded) = calls
            ? PythonHarness.BuildPrograms(code, problem.Tests.OfType<AssertionTest>().SelectMany(a => new[] { a.Script, a.Setup }).Append(problem.Prompt),
                language.RunCommand("program.py")[0])
            : (code, null);
        return new JudgePlan(submission, language.Id, program, calls, expected) { PreloadedProgram = preloaded };
    }

    /// <summary>Checks the problem's function-call tests and parses their expected values (all but the large ones).</summary>
    private static Dictionary<int, PyValue> ParseCalls(Problem problem)
    {
        var expected = new Dictionary<int, PyValue>();
        for (var i = 0; i < problem.Tests.Count; i++)
        {
            if (problem.Tests[i] is not FunctionCallTest f) continue;
            if (string.IsNullOrWhiteSpace(f.FunctionName))
                throw Bad(problem, i, "has no FunctionName; set the function (fn_name / func_name / entry point) to call");
            if (!PyJson.TryParse(f.ArgumentsJson ?? "", out var args, out var error) || args.Kind != PyKind.List)
                throw Bad(problem, i, $"ArgumentsJson must be a JSON array of positional arguments ({error ?? "got " + args.Kind})");
            // Large expected values (HumanEval+ has answers of many MB) are parsed when their result arrives and
            // dropped after the comparison, so a plan never holds a problem's whole expected data as objects.
            if (f.ExpectedIsDeferred || f.ExpectedJson is null || f.ExpectedJson.Length > LazyExpectedChars) continue;
            if (!PyJson.TryParse(f.ExpectedJson, out var value, out error))
                throw Bad(problem, i, $"ExpectedJson is not valid JSON ({error})");
            expected[i] = value;
        }
        return expected;
    }

    private static ArgumentException Bad(Problem problem, int index, string what)
    {
        var name = problem.Tests[index]?.Name is { } n ? $" ({n})" : "";
        return new ArgumentException($"Problem '{problem.Id}' test {index + 1}{name} {what}.", "submission");
    }

    /// <summary>
    /// Completion-style samples (HumanEval) continue the prompt: the prompt goes in front when the code does not
    /// define the entry point itself, exactly as the official harness concatenates them.
    /// </summary>
    internal static string PrepareCode(SandboxPool pool, Submission submission)
    {
        var problem = submission.Problem;
        if (problem.Prompt is not { Length: > 0 } prompt || problem.EntryPoint is not { Length: > 0 } entry) return submission.Code;
        if (!pool.Languages.TryGet(submission.Language, out var mine) || !pool.Languages.TryGet(problem.Language, out var theirs) || mine.Id != theirs.Id)
            return submission.Code;
        var defines = mine.Id == "python"
            ? PythonDefinition(entry).IsMatch(submission.Code)
            : submission.Code.Contains(entry, StringComparison.Ordinal);
        return defines ? submission.Code : prompt + submission.Code;
    }

    // Built once per entry point: every sample of a problem asks the same question.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> Definitions = new(StringComparer.Ordinal);

    private static Regex PythonDefinition(string entry) => Definitions.Count < 100_000
        ? Definitions.GetOrAdd(entry, NewPythonDefinition)
        : NewPythonDefinition(entry);

    private static Regex NewPythonDefinition(string entry) =>
        new($@"^[ \t]*(?:async[ \t]+def|def|class)[ \t]+{Regex.Escape(entry)}\b|^{Regex.Escape(entry)}[ \t]*=", RegexOptions.Multiline | RegexOptions.CultureInvariant);
}
