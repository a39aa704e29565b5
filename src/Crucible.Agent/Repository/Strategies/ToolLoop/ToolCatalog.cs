using Crucible.Agent.Models;

namespace Crucible.Agent.Repository.Strategies.ToolLoop;

/// <summary>The tools of the loop, as native function declarations and as the text commands of the fallback mode.</summary>
public static class ToolCatalog
{
    public static IReadOnlyList<ModelTool> Native { get; } =
    [
        new("open", "Show a window of 100 numbered lines of a file, around a line.",
            """{"type":"object","properties":{"path":{"type":"string"},"line":{"type":"integer"}},"required":["path"]}"""),
        new("scroll_down", "Show the next window of the open file.", """{"type":"object","properties":{}}"""),
        new("scroll_up", "Show the previous window of the open file.", """{"type":"object","properties":{}}"""),
        new("search", "Find lines containing a literal text, in one file or the whole repository.",
            """{"type":"object","properties":{"term":{"type":"string"},"path":{"type":"string"}},"required":["term"]}"""),
        new("find_file", "List repository files whose path contains a name.",
            """{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}"""),
        new("edit", "Replace exact existing lines of a file (search must copy them, indentation included); empty search creates the file. Edits that break the syntax or add undefined names are refused.",
            """{"type":"object","properties":{"path":{"type":"string"},"search":{"type":"string"},"replace":{"type":"string"}},"required":["path","search","replace"]}"""),
        new("run_tests", "Run the reproduction test and the repository's regression tests on the current change.", """{"type":"object","properties":{}}"""),
        new("submit", "Submit the current change as the fix and stop.", """{"type":"object","properties":{}}"""),
    ];

    public const string TextCommands = """
        Commands (exactly one per reply, in a ``` block, after your reasoning):
          open <path> [<line>]     show 100 numbered lines of a file around <line>
          scroll_down | scroll_up  move the window of the open file
          search <text> [<path>]   lines containing <text>, in one file or everywhere
          find_file <name>         files whose path contains <name>
          run_tests                run the reproduction and regression tests on your change
          submit                   submit your change and stop
        To edit, reply with SEARCH/REPLACE blocks instead of a command:
        path/to/file.py
        <<<<<<< SEARCH
        (exact existing lines)
        =======
        (new lines)
        >>>>>>> REPLACE
        """;

    public static string Task(string issue, bool native) => $"""
        You are fixing an issue in a software repository, working through tools. Explore the code, edit it, run the
        tests, and submit when the issue is fixed. Edit only source files, not tests.

        <issue>
        {issue.Trim()}
        </issue>

        {(native ? "Use the tools provided; call one tool per turn." : TextCommands)}
        """;
}
