using Crucible.Agent.Models;
using Crucible.Agent.Repository.Editing;
using Crucible.Agent.Repository.Map;
using Crucible.Agent.Repository.Repair;
using Crucible.Agent.Repository.Workspace;

namespace Crucible.Agent.Repository.Verification;

/// <summary>
/// Agentless-style self-verification in the sandbox. Set-up: the repository's own tests nearest to the localised
/// files are run on the original code and those that pass become the regression tests; a reproduction test is asked
/// of the model and kept only if it fails on the original code (one that passes reproduces nothing). Each candidate
/// patch is then applied to the base, both run, and the workspace put back. Results are cached per patch.
/// </summary>
public sealed class CandidateVerifier
{
    public const string ReproductionFile = "test_crucible_reproduction.py";
    private const int ReproductionAttempts = 2;

    private readonly Dictionary<string, CandidateCheck> _checks = new(StringComparer.Ordinal);
    private string? _reproduction;
    private IReadOnlyList<string> _regressionFiles = [];
    private IReadOnlySet<string> _regressionTests = new HashSet<string>();

    public bool HasReproduction => _reproduction is not null;
    public int RegressionCount => _regressionTests.Count;

    public static async Task<CandidateVerifier> PrepareAsync(RepairContext context, Localization.Localization localization, CancellationToken ct)
    {
        var verifier = new CandidateVerifier();
        await context.Workspace.ResetAsync(ct).ConfigureAwait(false);
        verifier._regressionFiles = RegressionFiles(context.Map, localization, context.Settings.MaxRegressionFiles);
        if (verifier._regressionFiles.Count > 0)
        {
            var baseline = await context.RunTestsAsync(verifier._regressionFiles, "verify/regression-baseline", ct).ConfigureAwait(false);
            verifier._regressionTests = baseline.Passed.ToHashSet(StringComparer.Ordinal);
            if (baseline.Problem is not null) context.Note("the repository's tests could not be read on the original code; no regression tests", new() { ["problem"] = baseline.Problem });
        }
        var code = localization.RenderCode(context.Map, context.Workspace.ReadText);
        for (var attempt = 0; attempt < ReproductionAttempts && verifier._reproduction is null; attempt++)
        {
            var answer = (await context.AskAsync([ModelMessage.User(VerificationPrompts.Reproduction(context.Issue.ProblemStatement, code, ReproductionFile))],
                1, "verify/reproduction", ct).ConfigureAwait(false))[0];
            var test = FencedCode.Last(answer);
            if (test is null) { context.Note("the reproduction answer had no code"); continue; }
            var problems = await new SyntaxGuard().CheckAsync([new FileChange(ReproductionFile, null, test)], ct).ConfigureAwait(false);
            if (problems.Count > 0) { context.Note("the reproduction test does not compile", new() { ["problems"] = string.Join("; ", problems) }); continue; }
            context.Workspace.WriteText(ReproductionFile, test);
            var run = await context.RunTestsAsync([ReproductionFile], "verify/reproduction-baseline", ct).ConfigureAwait(false);
            context.Workspace.Delete(ReproductionFile);
            if (run.Failing.Any() || (run.Problem is not null && run.Statuses.Count == 0 && !run.InfrastructureError))
                verifier._reproduction = test;
            else context.Note("the reproduction test passes on the original code: it does not reproduce the issue; discarded");
        }
        await context.Workspace.ResetAsync(ct).ConfigureAwait(false);
        context.Note("verification ready", new()
        {
            ["regression_tests"] = verifier._regressionTests.Count.ToString(), ["regression_files"] = string.Join(", ", verifier._regressionFiles),
            ["reproduction"] = verifier.HasReproduction.ToString(),
        });
        return verifier;
    }

    /// <summary>Applies <paramref name="patch"/> to the base, runs the regression and reproduction tests, and resets the workspace.</summary>
    public async Task<CandidateCheck> CheckAsync(RepairContext context, string patch, CancellationToken ct)
    {
        var key = PatchText.Hash(patch);
        if (_checks.TryGetValue(key, out var cached)) return cached;
        await context.Workspace.ResetAsync(ct).ConfigureAwait(false);
        CandidateCheck check;
        if (!await context.Workspace.ApplyAsync(patch, ct).ConfigureAwait(false))
        {
            check = new CandidateCheck { Patch = patch, Regressions = ["(the patch does not apply)"], ReproductionPasses = false, FailureReport = "the patch does not apply to the base" };
        }
        else
        {
            var tests = _regressionFiles.ToList();
            if (_reproduction is not null) { context.Workspace.WriteText(ReproductionFile, _reproduction); tests.Add(ReproductionFile); }
            var run = tests.Count == 0 ? null : await context.RunTestsAsync(tests, "verify/candidate", ct).ConfigureAwait(false);
            var statuses = run?.Statuses ?? new Dictionary<string, string>();
            var regressions = _regressionTests.Where(t => !RepairTestRun.IsPass(statuses.GetValueOrDefault(t, "missing"))).Order(StringComparer.Ordinal).ToArray();
            var repro = statuses.Where(kv => kv.Key.StartsWith(ReproductionFile, StringComparison.Ordinal)).ToArray();
            bool? reproPasses = _reproduction is null ? null : repro.Length > 0 && repro.All(kv => RepairTestRun.IsPass(kv.Value));
            var failing = statuses.Where(kv => kv.Value is "failed" or "error").Select(kv => kv.Key).ToArray();
            var log = run?.Log ?? "";
            check = new CandidateCheck
            {
                Patch = patch, Regressions = regressions, RegressionTotal = _regressionTests.Count, ReproductionPasses = reproPasses,
                FailureReport = (failing.Length > 0 ? "failing: " + string.Join(", ", failing.Take(10)) + "\n" : "") + (run?.Problem is { } p ? p + "\n" : "")
                                + (log.Length > 3000 ? log[^3000..] : log),
            };
        }
        await context.Workspace.ResetAsync(ct).ConfigureAwait(false);
        _checks[key] = check;
        context.Offer(check);
        context.Note("checked candidate", new()
        {
            ["patch"] = key, ["regressions"] = check.Regressions.Count.ToString(), ["reproduction_passes"] = check.ReproductionPasses?.ToString() ?? "n/a",
        });
        return check;
    }

    /// <summary>
    /// The repository's test files, those that mention the localised files' modules or names first (closest tests
    /// first), at most <paramref name="max"/>. Python test files only (pytest's naming).
    /// </summary>
    internal static IReadOnlyList<string> RegressionFiles(RepositoryMap map, Localization.Localization localization, int max)
    {
        var names = localization.Files.SelectMany(f => new[] { Path.GetFileNameWithoutExtension(f) }
            .Concat(map.SymbolsOf(f).Definitions.Where(d => d.Kind != "variable" && !d.Name.StartsWith('_')).Select(d => d.Name)))
            .Where(n => n.Length > 2 && n != "__init__").ToHashSet(StringComparer.Ordinal);
        return map.Files
            .Where(f => f.Language == "python" && IsTestFile(f.Path) && f.Path != ReproductionFile)
            .Select(f => (f.Path, Score: names.Count(n => map.SymbolsOf(f.Path).References.ContainsKey(n) || f.Text.Contains(n, StringComparison.Ordinal))))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Path, StringComparer.Ordinal)
            .Take(max).Select(x => x.Path).ToArray();
    }

    private static bool IsTestFile(string path)
    {
        var name = Path.GetFileName(path);
        return (name.StartsWith("test_", StringComparison.Ordinal) || name.EndsWith("_test.py", StringComparison.Ordinal)) && name.EndsWith(".py", StringComparison.Ordinal);
    }
}
