namespace Crucible.Agent.Models;

/// <summary>
/// One chat message. Text for most turns; an assistant turn may also carry the tool calls the model made, and a
/// <see cref="ModelRole.Tool"/> turn carries one call's result (for models with native tool calling).
/// </summary>
public sealed record ModelMessage(ModelRole Role, string Text)
{
    /// <summary>Tool calls of an assistant turn; null when none.</summary>
    public IReadOnlyList<ModelToolCall>? ToolCalls { get; init; }

    /// <summary>For a tool turn: the id of the call this is the result of.</summary>
    public string? ToolCallId { get; init; }

    public static ModelMessage System(string text) => new(ModelRole.System, text);
    public static ModelMessage User(string text) => new(ModelRole.User, text);
    public static ModelMessage Assistant(string text) => new(ModelRole.Assistant, text);
    public static ModelMessage ToolResult(string callId, string text) => new(ModelRole.Tool, text) { ToolCallId = callId };
}
