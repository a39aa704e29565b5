namespace Crucible.Agent.Repository.Repair;

/// <summary>How the tool-using loop talks to the model.</summary>
public enum ToolMode
{
    /// <summary>Native tool calls first; switch to text actions when the server or model does not do tool calls.</summary>
    Auto,
    /// <summary>OpenAI function calling only.</summary>
    Native,
    /// <summary>Actions written as commands in the answer text (for models without tool calls).</summary>
    Text,
}
