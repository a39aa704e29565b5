using System.Text.Json;

namespace Crucible.Agent.Tests.Fakes;

/// <summary>One scripted answer of the fake model server.</summary>
public sealed record FakeReply
{
    public int Status { get; init; } = 200;
    public string Body { get; init; } = "";
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public TimeSpan Delay { get; init; }

    public static FakeReply Chat(string content, string finish = "stop", int promptTokens = 10, int completionTokens = 20, bool usage = true) => new()
    {
        Body = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = "chatcmpl-fake", ["object"] = "chat.completion", ["created"] = 1700000000, ["model"] = "fake-model",
            ["choices"] = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = finish } },
            ["usage"] = usage ? new { prompt_tokens = promptTokens, completion_tokens = completionTokens, total_tokens = promptTokens + completionTokens } : null,
        }),
    };

    /// <summary>A chat completion whose assistant message calls one tool (OpenAI function calling), with no text.</summary>
    public static FakeReply ToolCall(string name, string argumentsJson, string id = "call_1") => new()
    {
        Body = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = "chatcmpl-fake", ["object"] = "chat.completion", ["created"] = 1700000000, ["model"] = "fake-model",
            ["choices"] = new[]
            {
                new
                {
                    index = 0, finish_reason = "tool_calls",
                    message = new { role = "assistant", content = (string?)null, tool_calls = new[] { new { id, type = "function", function = new { name, arguments = argumentsJson } } } },
                },
            },
            ["usage"] = new { prompt_tokens = 10, completion_tokens = 20, total_tokens = 30 },
        }),
    };

    public static FakeReply Completion(string text, string finish = "stop", bool usage = true) => new()
    {
        Body = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = "cmpl-fake", ["object"] = "text_completion", ["created"] = 1700000000, ["model"] = "fake-model",
            ["choices"] = new[] { new { index = 0, text, finish_reason = finish } },
            ["usage"] = usage ? new { prompt_tokens = 12, completion_tokens = 7, total_tokens = 19 } : null,
        }),
    };

    public static FakeReply Error(int status, string message, params (string Name, string Value)[] headers) => new()
    {
        Status = status,
        Body = JsonSerializer.Serialize(new { error = new { message, type = "BadRequestError", code = status } }),
        Headers = headers.ToDictionary(h => h.Name, h => h.Value),
    };

    public static FakeReply Raw(int status, string body) => new() { Status = status, Body = body };

    public FakeReply After(TimeSpan delay) => this with { Delay = delay };
}
