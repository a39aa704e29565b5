namespace Crucible.Agent.Models;

/// <summary>A tool call the model made natively: the call id, the tool's name and its arguments as a JSON object text.</summary>
public sealed record ModelToolCall(string Id, string Name, string Arguments);
