namespace Crucible.Agent.Repository.Verification;

/// <summary>The code of a model answer: the last fenced block (any tag but shell/text), else the whole answer after any reasoning.</summary>
public static class FencedCode
{
    public static string? Last(string answer)
    {
        var end = answer.LastIndexOf("</think>", StringComparison.Ordinal);
        var text = (end >= 0 ? answer[(end + 8)..] : answer).Replace("\r\n", "\n");
        var lines = text.Split('\n');
        string? found = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var t = lines[i].TrimStart();
            if (!t.StartsWith("```", StringComparison.Ordinal)) continue;
            var tag = t[3..].Trim().ToLowerInvariant();
            var body = new List<string>();
            var j = i + 1;
            for (; j < lines.Length && !lines[j].TrimStart().StartsWith("```", StringComparison.Ordinal); j++) body.Add(lines[j]);
            if (tag is not ("bash" or "sh" or "shell" or "text" or "console")) found = string.Join('\n', body) + "\n";
            i = j;
        }
        if (found is not null) return found;
        return text.Contains("def test", StringComparison.Ordinal) ? text.Trim() + "\n" : null;
    }
}
