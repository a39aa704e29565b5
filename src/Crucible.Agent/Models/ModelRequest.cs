namespace Crucible.Agent.Models;

/// <summary>One completion request: chat messages for <see cref="ModelApi.Chat"/>, a raw prompt for <see cref="ModelApi.Completions"/>.</summary>
public sealed record ModelRequest
{
    public ModelApi Api { get; init; } = ModelApi.Chat;
    public IReadOnlyList<ModelMessage> Messages { get; init; } = [];
    public string? Prompt { get; init; }
    public SamplingOptions Sampling { get; init; } = SamplingOptions.Default;

    /// <summary>Tools offered for native tool calling (chat only); empty for plain completions.</summary>
    public IReadOnlyList<ModelTool> Tools { get; init; } = [];

    public static ModelRequest Chat(IReadOnlyList<ModelMessage> messages, SamplingOptions sampling) =>
        new() { Api = ModelApi.Chat, Messages = messages, Sampling = sampling };

    public static ModelRequest Completion(string prompt, SamplingOptions sampling) =>
        new() { Api = ModelApi.Completions, Prompt = prompt, Sampling = sampling };

    /// <summary>Rough size of the request in characters, used to estimate tokens when a server reports no usage.</summary>
    internal int PromptChars => Prompt?.Length ?? Messages.Sum(m => m.Text.Length);
}
