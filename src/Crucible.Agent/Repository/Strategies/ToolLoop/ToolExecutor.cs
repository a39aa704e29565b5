using System.Text;
using Crucible.Agent.Repository.Editing;
using Crucible.Agent.Repository.Repair;
using Crucible.Agent.Repository.Verification;

namespace Crucible.Agent.Repository.Strategies.ToolLoop;

/// <summary>
/// Carries out tool actions in the workspace, SWE-agent style: a 100-line window on one open file, literal search,
/// edits through the lint guard (refused edits leave the file unchanged and say why), and test runs through the
/// verifier. Observations are plain text, clipped.
/// </summary>
public sealed class ToolExecutor(RepairContext context)
{
    private const int Window = 100;
    private const int MaxMatches = 40;
    private string? _openPath;
    private int _top = 1;

    /// <summary>The observation for <paramref name="action"/>; <paramref name="submitted"/> when it ended the loop.</summary>
    public async Task<(string Observation, bool Submitted)> RunAsync(ToolAction action, CancellationToken ct)
    {
        switch (action.Name)
        {
            case "open":
                var path = action.Path is null ? null : context.Map.ResolvePath(action.Path) ?? action.Path;
                if (path is null || context.Workspace.ReadText(path) is null) return ($"File not found: {action.Path}. Use find_file to look for it.", false);
                _openPath = path;
                _top = Math.Max(1, (action.Line ?? 1) - Window / 2);
                return (Show(), false);
            case "scroll_down":
                if (_openPath is null) return ("No file is open; use open first.", false);
                _top += Window;
                return (Show(), false);
            case "scroll_up":
                if (_openPath is null) return ("No file is open; use open first.", false);
                _top = Math.Max(1, _top - Window);
                return (Show(), false);
            case "search":
                return (Search(action.Term ?? "", action.Path), false);
            case "find_file":
                var matches = context.Map.Files.Select(f => f.Path).Where(p => p.Contains(action.Term ?? "", StringComparison.OrdinalIgnoreCase)).Take(MaxMatches).ToArray();
                return (matches.Length == 0 ? $"No file matches '{action.Term}'." : string.Join('\n', matches), false);
            case "edit":
                var report = await context.ApplyAsync(action.EditText ?? "", "tools/edit", ct).ConfigureAwait(false);
                if (report.Feedback() is { } problem) return (problem, false);
                if (_openPath is not null && report.ChangedFiles.Contains(_openPath)) return ("Edit applied.\n" + Show(), false);
                return ("Edit applied to " + string.Join(", ", report.ChangedFiles) + ".", false);
            case "run_tests":
                return (await RunTestsAsync(ct).ConfigureAwait(false), false);
            case "submit":
                return ("Submitted.", true);
            default:
                return ($"Unknown action '{action.Name}'.", false);
        }
    }

    private async Task<string> RunTestsAsync(CancellationToken ct)
    {
        var patch = await context.Workspace.DiffAsync(ct).ConfigureAwait(false);
        if (patch.Trim().Length == 0) return "You have not changed anything yet.";
        var check = await context.VerifyAsync(patch, ct).ConfigureAwait(false);
        await context.RestoreAsync(patch, ct).ConfigureAwait(false);
        if (check is null || !check.Checked) return "No tests are available to check the change; submit when you are confident.";
        if (check.Passes) return $"All checks pass: the reproduction test {(check.ReproductionPasses == true ? "passes" : "is absent")}, and none of {check.RegressionTotal} regression tests broke. Submit if you are done.";
        return VerificationPrompts.Failures(check);
    }

    private string Show()
    {
        var lines = (context.Workspace.ReadText(_openPath!) ?? "").Replace("\r\n", "\n").Split('\n');
        _top = Math.Min(_top, Math.Max(1, lines.Length - Window + 1));
        var sb = new StringBuilder($"[File: {_openPath} ({lines.Length} lines total)]\n");
        if (_top > 1) sb.Append($"({_top - 1} more lines above)\n");
        var end = Math.Min(lines.Length, _top + Window - 1);
        for (var l = _top; l <= end; l++) sb.Append(l).Append(':').Append(lines[l - 1]).Append('\n');
        if (end < lines.Length) sb.Append($"({lines.Length - end} more lines below)\n");
        return sb.ToString();
    }

    private string Search(string term, string? path)
    {
        if (term.Length == 0) return "search needs a text to look for.";
        var files = path is null ? context.Map.Files.Select(f => f.Path) : [context.Map.ResolvePath(path) ?? path];
        var sb = new StringBuilder();
        var count = 0;
        foreach (var f in files)
        {
            var text = context.Workspace.ReadText(f);
            if (text is null) continue;
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (!lines[i].Contains(term, StringComparison.Ordinal)) continue;
                if (++count <= MaxMatches) sb.Append(f).Append(':').Append(i + 1).Append(':').Append(lines[i].TrimEnd()).Append('\n');
            }
        }
        if (count == 0) return $"No matches for '{term}'" + (path is null ? "." : $" in {path}.");
        if (count > MaxMatches) sb.Append($"({count - MaxMatches} more matches; narrow the search)\n");
        return sb.ToString();
    }

    /// <summary>A native edit call as a SEARCH/REPLACE block, so both modes go through the same parser and matcher.</summary>
    public static string EditBlock(string path, string search, string replace) =>
        $"{path}\n<<<<<<< SEARCH\n{search.TrimEnd('\n')}\n=======\n{replace.TrimEnd('\n')}\n>>>>>>> REPLACE\n";
}
