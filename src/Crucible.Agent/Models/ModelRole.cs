namespace Crucible.Agent.Models;

/// <summary>Author of one chat message.</summary>
public enum ModelRole
{
    System,
    User,
    Assistant,
    /// <summary>The result of a tool call, sent back to a model that called a tool natively.</summary>
    Tool,
}
