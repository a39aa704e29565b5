using System.Text;
using Crucible.Agent.Repository.Workspace;

namespace Crucible.Agent.Repository.Editing;

/// <summary>
/// Applies one answer's edits to a working tree: each edit is matched through <see cref="TextMatcher"/>'s cascade
/// in memory; edits that do not match are reported with the closest lines of the file (never guessed); then the
/// lint guard checks every changed file, and only if it finds nothing are the files written. So the tree is always
/// either the old state or the old state plus the applied edits, never a broken file.
/// </summary>
public sealed class EditApplier(IEditGuard? guard = null)
{
    private readonly IEditGuard? _guard = guard;

    public async Task<EditReport> ApplyAsync(IWorkingFiles tree, ParsedEdits parsed, CancellationToken cancellationToken)
    {
        var state = new Dictionary<string, (string? Before, List<string>? Lines, bool TrailingNewline)>(StringComparer.Ordinal);
        var applied = new List<string>();
        var failures = new List<string>(parsed.Problems);
        var lastMatch = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var edit in parsed.Edits)
        {
            string path;
            try { RepositoryPaths.Resolve(tree.Root, edit.Path, out path); }
            catch (EditRefusedException e) { failures.Add($"{edit.Origin}: refused: {e.Message}."); continue; }
            if (!state.TryGetValue(path, out var file))
            {
                var before = tree.ReadText(path);
                file = (before, before is null ? null : SplitLines(before, out _), before is null || before.EndsWith('\n'));
                state[path] = file;
            }
            if (edit.DeletesFile)
            {
                if (file.Lines is null) { failures.Add($"{edit.Origin}: {path} does not exist, so it cannot be deleted."); continue; }
                state[path] = file with { Lines = null };
                applied.Add($"{edit.Origin}: deleted {path}");
                continue;
            }
            var search = SplitLines(edit.Search, out _);
            var replace = SplitLines(edit.Replace, out _);
            if (search.All(string.IsNullOrWhiteSpace))
            {
                var lines = file.Lines is null ? replace : [.. file.Lines, .. replace];
                state[path] = file with { Lines = lines };
                applied.Add($"{edit.Origin}: {(file.Lines is null ? "created" : "appended to")} {path}");
                continue;
            }
            if (file.Lines is null)
            {
                failures.Add($"{edit.Origin}: {path} does not exist. Check the path, or use an empty SEARCH section to create a new file.");
                continue;
            }
            var result = TextMatcher.Apply(file.Lines, search, replace, lastMatch.GetValueOrDefault(path));
            if (result is null)
            {
                failures.Add(DescribeMiss(edit, path, file.Lines, search));
                continue;
            }
            state[path] = file with { Lines = result.Value.Lines };
            applied.Add($"{edit.Origin}: {path} ({result.Value.Kind})");
        }

        var changes = state.Select(kv => new FileChange(kv.Key, kv.Value.Before, kv.Value.Lines is null ? null : JoinLines(kv.Value.Lines, kv.Value.TrailingNewline)))
            .Where(c => c.Before != c.After).ToArray();
        var refusals = changes.Length > 0 && _guard is not null ? await _guard.CheckAsync(changes, cancellationToken).ConfigureAwait(false) : [];
        if (refusals.Count == 0)
        {
            foreach (var c in changes)
            {
                if (c.After is null) tree.Delete(c.Path);
                else tree.WriteText(c.Path, c.After);
            }
        }
        return new EditReport { Applied = applied, Failures = failures, Refusals = refusals, ChangedFiles = changes.Select(c => c.Path).ToArray() };
    }

    private static string DescribeMiss(FileEdit edit, string path, IReadOnlyList<string> file, IReadOnlyList<string> search)
    {
        var sb = new StringBuilder();
        sb.Append(edit.Origin).Append(": the SEARCH text was not found in ").Append(path).Append('.');
        if (TextMatcher.Closest(file, search) is { } w)
        {
            var from = Math.Max(0, w.Start - 1);
            var to = Math.Min(file.Count, w.Start + w.Length + 1);
            sb.Append($" The closest lines ({from + 1}-{to}) are:\n```\n");
            for (var i = from; i < to; i++) sb.Append(file[i]).Append('\n');
            sb.Append("```");
        }
        return sb.ToString();
    }

    internal static List<string> SplitLines(string text, out bool trailingNewline)
    {
        var t = text.Replace("\r\n", "\n");
        trailingNewline = t.EndsWith('\n');
        if (trailingNewline) t = t[..^1];
        return t.Length == 0 && !trailingNewline ? [] : [.. t.Split('\n')];
    }

    private static string JoinLines(List<string> lines, bool trailingNewline) =>
        lines.Count == 0 ? "" : string.Join('\n', lines) + (trailingNewline ? "\n" : "");
}
