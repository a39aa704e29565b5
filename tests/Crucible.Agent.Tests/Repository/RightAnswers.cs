using System.Text;
using Crucible.Repos.Tasks;

namespace Crucible.Agent.Tests.Repository;

/// <summary>What a model that knows the fix would answer for a demo task, derived from its gold patch and fixed tests.</summary>
public sealed record RightAnswers(string Files, string Symbols, string Lines, string SearchReplace, string Diff, string Reproduction, string FirstFile, string FirstSearch, string FirstReplace)
{
    public static RightAnswers For(RepositoryTask task, string reproduction)
    {
        var files = new List<string>();
        var symbols = new List<string>();
        var lines = new List<string>();
        var blocks = new StringBuilder();
        string? path = null, firstSearch = null, firstReplace = null;
        var search = new List<string>();
        var replace = new List<string>();
        void Flush()
        {
            if (path is null || (search.Count == 0 && replace.Count == 0)) return;
            blocks.Append($"{path}\n<<<<<<< SEARCH\n{string.Join('\n', search)}\n=======\n{string.Join('\n', replace)}\n>>>>>>> REPLACE\n\n");
            firstSearch ??= string.Join('\n', search);
            firstReplace ??= string.Join('\n', replace);
            search.Clear();
            replace.Clear();
        }
        foreach (var line in task.GoldPatch.Replace("\r\n", "\n").Split('\n'))
        {
            if (line.StartsWith("+++ b/", StringComparison.Ordinal)) { Flush(); path = line[6..]; files.Add(path); continue; }
            if (line.StartsWith("--- ", StringComparison.Ordinal) || line.StartsWith("diff ", StringComparison.Ordinal) || line.StartsWith("index ", StringComparison.Ordinal)) continue;
            if (line.StartsWith("@@", StringComparison.Ordinal))
            {
                Flush();
                var start = int.Parse(line[4..].Split(',', ' ')[0]);
                lines.Add($"{path}: line: {start}-{start + 6}");
                var def = line.IndexOf("def ", StringComparison.Ordinal);
                if (def >= 0) symbols.Add($"{path}: function: {line[(def + 4)..].Split('(')[0]}");
                continue;
            }
            if (path is null || line.Length == 0 && search.Count == 0) continue;
            if (line.StartsWith('+')) replace.Add(line[1..]);
            else if (line.StartsWith('-')) search.Add(line[1..]);
            else { search.Add(line.Length > 0 ? line[1..] : ""); replace.Add(line.Length > 0 ? line[1..] : ""); }
        }
        Flush();
        return new RightAnswers(
            "```\n" + string.Join('\n', files.Distinct()) + "\n```", "```\n" + string.Join('\n', symbols) + "\n```", "```\n" + string.Join('\n', lines) + "\n```",
            "Here is the fix.\n\n" + blocks, "```diff\n" + task.GoldPatch + "```\n", "```python\n" + reproduction + "```\n",
            files[0], firstSearch ?? "", firstReplace ?? "");
    }
}
