namespace Crucible.Agent.Repository.Verification;

/// <summary>The reproduction-test prompt and the failure feedback sent to the model.</summary>
public static class VerificationPrompts
{
    public static string Reproduction(string issue, string code, string fileName) => $"""
        You are fixing an issue in a software repository.

        <issue>
        {issue.Trim()}
        </issue>

        The relevant code:
        {code.TrimEnd()}

        Write a pytest test file that reproduces the issue: its tests must FAIL on the current code and PASS once the
        issue is fixed. It is saved as `{fileName}` at the repository root and run from there; import the package as the
        repository's own tests do. Test only the behaviour the issue describes. Answer with the file in one ```python block.
        """;

    public static string Failures(CandidateCheck check)
    {
        var lines = new List<string> { "Your change does not pass the checks yet." };
        if (check.ReproductionPasses == false) lines.Add("- The test reproducing the issue still fails.");
        if (check.Regressions.Count > 0) lines.Add($"- Tests that passed before your change now fail: {string.Join(", ", check.Regressions.Take(10))}");
        lines.Add("");
        lines.Add("Test output (tail):");
        lines.Add("```");
        lines.Add(check.FailureReport.Trim());
        lines.Add("```");
        lines.Add("Send SEARCH/REPLACE blocks that fix this, against the files as they are now (your previous edits are applied).");
        return string.Join('\n', lines);
    }
}
