using System.Text.Json.Nodes;
using Crucible.Agent.Repository.Map;

namespace Crucible.Agent.Repository.Editing;

/// <summary>
/// The lint guard: refuses edits that break the syntax or bring in undefined names. Python: compile plus an
/// undefined-name check over the ast (names loaded but bound nowhere in the module and not builtins — only names that
/// were not already undefined before the edit count, so a file's existing oddities never block a fix), in the helper
/// process. C#: Roslyn syntax errors that the file did not already have. Other languages pass unchecked.
/// </summary>
public sealed class SyntaxGuard : IEditGuard
{
    public async Task<IReadOnlyList<string>> CheckAsync(IReadOnlyList<FileChange> changes, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var python = changes.Where(c => c.After is not null && RepositoryFiles.LanguageOf(c.Path) == "python").ToArray();
        if (python.Length > 0 && PythonHelper.IsAvailable)
        {
            var request = PythonHelper.ToArray(python.Select(c => new JsonObject { ["path"] = c.Path, ["before"] = c.Before, ["after"] = c.After }));
            var answer = await PythonHelper.RunAsync("check", request, cancellationToken).ConfigureAwait(false);
            foreach (var file in answer.OfType<JsonObject>())
            {
                var path = (string?)file["path"];
                if (file["syntax_error"] is JsonObject e)
                {
                    var line = (int?)e["line"] ?? 0;
                    var text = (string?)e["text"];
                    problems.Add($"{path}: the edit breaks the syntax at line {line}: {e["message"]}" + (string.IsNullOrWhiteSpace(text) ? "" : $"\n    {text.Trim()}"));
                }
                foreach (var u in (file["new_undefined"] as JsonArray ?? []).OfType<JsonObject>())
                    problems.Add($"{path}: line {u["line"]}: undefined name '{u["name"]}' (define or import it)");
            }
        }
        foreach (var c in changes.Where(c => c.After is not null && RepositoryFiles.LanguageOf(c.Path) == "csharp"))
        {
            var after = CSharpSymbolParser.FirstSyntaxError(c.After!);
            if (after is not null && (c.Before is null || CSharpSymbolParser.FirstSyntaxError(c.Before) is null))
                problems.Add($"{c.Path}: the edit breaks the syntax: {after}");
        }
        return problems;
    }
}
