namespace Crucible.Agent.Repository.Localization;

/// <summary>The three localisation prompts (no system message: several chat templates reject one).</summary>
public static class LocalizationPrompts
{
    public static string Files(string issue, string map, IEnumerable<string> otherFiles) => $"""
        You are fixing an issue in a software repository.

        <issue>
        {issue.Trim()}
        </issue>

        Repository map (the most relevant files first; bodies are elided):
        {map.TrimEnd()}

        Other files:
        {string.Join('\n', otherFiles)}

        Which files must be edited to fix the issue? List at most 5 paths, most likely first, one per line, inside a single ``` block.
        """;

    public static string Symbols(string issue, string skeletons) => $"""
        You are fixing an issue in a software repository.

        <issue>
        {issue.Trim()}
        </issue>

        The files that probably need changes, as skeletons:
        {skeletons.TrimEnd()}

        Which classes, functions or methods must be inspected or edited to fix the issue? Answer one per line inside a
        single ``` block, in the form `path: function: name`, `path: class: Name` or `path: method: Class.name`.
        """;

    public static string Lines(string issue, string code) => $"""
        You are fixing an issue in a software repository.

        <issue>
        {issue.Trim()}
        </issue>

        The relevant code, with line numbers:
        {code.TrimEnd()}

        Which lines must be edited? Answer one per line inside a single ``` block, in the form `path: line: 12-18`.
        """;
}
