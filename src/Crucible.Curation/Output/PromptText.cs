using Crucible.Judge;

namespace Crucible.Curation;

/// <summary>The user message a training prompt carries: the statement, and the code to start from when there is one.</summary>
public static class PromptText
{
    public static string For(Problem p)
    {
        var starter = p.Prompt ?? p.Metadata.Extra.GetValueOrDefault("starter_code");
        var text = string.IsNullOrWhiteSpace(p.Statement) ? "" : p.Statement.Trim();
        if (!string.IsNullOrWhiteSpace(starter) && !text.Contains(starter.Trim(), StringComparison.Ordinal))
            text += (text.Length > 0 ? "\n\n" : "") + $"Start from this code:\n```{p.Language}\n{starter.TrimEnd()}\n```";
        return text;
    }
}
