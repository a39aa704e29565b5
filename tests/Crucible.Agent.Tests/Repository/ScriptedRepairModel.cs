using System.Collections.Concurrent;
using Crucible.Agent.Tests.Fakes;

namespace Crucible.Agent.Tests.Repository;

/// <summary>
/// A scripted stand-in model for repository runs: answers each kind of request (localisation steps, reproduction test,
/// edit, tool step) from <see cref="RightAnswers"/>, with overrides to script failures. Edit answers come from a
/// queue (the last repeats), so a test can script "a wrong edit, then the right one".
/// </summary>
public sealed class ScriptedRepairModel(RightAnswers right)
{
    private readonly ConcurrentQueue<string> _edits = new();
    private readonly ConcurrentDictionary<string, int> _counts = new();

    public RightAnswers Right { get; } = right;

    /// <summary>Edit answers to give before the right one.</summary>
    public ScriptedRepairModel WithEdits(params string[] answers)
    {
        foreach (var a in answers) _edits.Enqueue(a);
        return this;
    }

    public Func<FakeRequest, FakeReply?>? Override { get; set; }

    public int Count(string kind) => _counts.GetValueOrDefault(kind);

    public FakeReply Reply(FakeRequest request)
    {
        if (Override?.Invoke(request) is { } forced) return forced;
        var first = request.Messages.FirstOrDefault().Content ?? "";
        var last = request.LastUser;
        string kind;
        string answer;
        if (request.Body.TryGetProperty("tools", out _)) return NativeToolStep(request);
        if (first.Contains("Commands (exactly one per reply", StringComparison.Ordinal)) { kind = "tools-text"; answer = TextToolStep(request); }
        else if (last.Contains("Which files must be edited", StringComparison.Ordinal)) { kind = "files"; answer = Right.Files; }
        else if (last.Contains("Which classes, functions or methods", StringComparison.Ordinal)) { kind = "symbols"; answer = Right.Symbols; }
        else if (last.Contains("Which lines must be edited", StringComparison.Ordinal)) { kind = "lines"; answer = Right.Lines; }
        else if (last.Contains("reproduces the issue", StringComparison.Ordinal)) { kind = "reproduction"; answer = Right.Reproduction; }
        else { kind = "edit"; answer = _edits.TryDequeue(out var e) ? e : Right.SearchReplace; }
        _counts.AddOrUpdate(kind, 1, (_, n) => n + 1);
        return FakeReply.Chat(answer);
    }

    private FakeReply NativeToolStep(FakeRequest request)
    {
        var step = request.Messages.Count(m => m.Role == "assistant");
        _counts.AddOrUpdate("tools-native", 1, (_, n) => n + 1);
        return step switch
        {
            0 => FakeReply.ToolCall("open", $$"""{"path":"{{Right.FirstFile}}","line":1}""", "call_open"),
            1 => FakeReply.ToolCall("edit", System.Text.Json.JsonSerializer.Serialize(new { path = Right.FirstFile, search = Right.FirstSearch, replace = Right.FirstReplace }), "call_edit"),
            2 => FakeReply.ToolCall("run_tests", "{}", "call_test"),
            _ => FakeReply.ToolCall("submit", "{}", "call_submit"),
        };
    }

    private string TextToolStep(FakeRequest request)
    {
        var step = request.Messages.Count(m => m.Role == "assistant");
        return step switch
        {
            0 => $"Let me look at the file.\n```\nopen {Right.FirstFile}\n```",
            1 => Right.SearchReplace,
            2 => "```\nrun_tests\n```",
            _ => "```\nsubmit\n```",
        };
    }
}
