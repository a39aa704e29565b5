namespace Crucible.Agent.Models;

/// <summary>A tool offered to the model (OpenAI function calling): name, description and the JSON schema of its arguments.</summary>
public sealed record ModelTool(string Name, string Description, string ParametersSchema);
