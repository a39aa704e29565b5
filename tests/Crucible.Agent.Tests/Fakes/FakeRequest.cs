using System.Text.Json;

namespace Crucible.Agent.Tests.Fakes;

/// <summary>A request the fake server received: path, parsed JSON body, and its arrival number (1-based).</summary>
public sealed record FakeRequest(string Path, JsonElement Body, int Number, IReadOnlyDictionary<string, string> Headers)
{
    public bool IsChat => Path.EndsWith("/chat/completions", StringComparison.Ordinal);

    public IReadOnlyList<(string Role, string Content)> Messages => Body.TryGetProperty("messages", out var m)
        ? m.EnumerateArray().Select(x => (x.GetProperty("role").GetString()!, Text(x))).ToArray()
        : [];

    /// <summary>A message's text: a string, an array of text parts, or nothing (an assistant turn that only calls tools).</summary>
    private static string Text(JsonElement message) =>
        !message.TryGetProperty("content", out var c) ? ""
        : c.ValueKind == JsonValueKind.String ? c.GetString()!
        : c.ValueKind == JsonValueKind.Array ? string.Concat(c.EnumerateArray().Select(p => p.TryGetProperty("text", out var t) ? t.GetString() : ""))
        : "";

    public string LastUser => Messages.LastOrDefault(m => m.Role == "user").Content ?? "";
    public string? Prompt => Body.TryGetProperty("prompt", out var p) ? p.GetString() : null;
    public long? Seed => Body.TryGetProperty("seed", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null;
}
