namespace Crucible.Agent.Repository.Repair;

/// <summary>The prompt asking for a fix as SEARCH/REPLACE blocks (unified diffs are accepted too).</summary>
public static class EditPrompts
{
    public const string Format = """
        Reply with SEARCH/REPLACE blocks. Each block names the file on the line before it, and its SEARCH part copies
        existing lines exactly (indentation included, enough lines to be unique); the REPLACE part is what they become:

        path/to/file.py
        <<<<<<< SEARCH
            return a - b
        =======
            return a + b
        >>>>>>> REPLACE

        Use one block per change; to create a file, leave SEARCH empty. A unified diff is also accepted.
        """;

    public static string Fix(RepairIssue issue, string code, bool hints) => $"""
        You are fixing an issue in a software repository.

        <issue>
        {issue.ProblemStatement.Trim()}
        </issue>
        {(hints && issue.Hints.Trim().Length > 0 ? $"\n<hints>\n{issue.Hints.Trim()}\n</hints>\n" : "")}
        The code that probably needs to change (`...` marks lines left out):
        {code.TrimEnd()}

        Fix the issue with the smallest correct change to the source (do not edit tests).
        {Format}
        """;
}
