namespace Crucible.Agent.Repository.Strategies.ToolLoop;

/// <summary>
/// One action of the tool loop, however the model expressed it (a native tool call or a text command):
/// <c>open</c>, <c>scroll_down</c>, <c>scroll_up</c>, <c>search</c>, <c>find_file</c>, <c>edit</c>, <c>run_tests</c>, <c>submit</c>.
/// </summary>
public sealed record ToolAction(string Name)
{
    public string? Path { get; init; }
    public int? Line { get; init; }
    public string? Term { get; init; }

    /// <summary>For <c>edit</c>: the SEARCH/REPLACE text to apply (native calls are turned into one block).</summary>
    public string? EditText { get; init; }

    /// <summary>Native tool call id, to answer with a tool message.</summary>
    public string? CallId { get; init; }
}
