using System.Text;

namespace Crucible.Repos.Mining;

/// <summary>
/// A statement that names the failing tests and nothing of the fix: no diff, no commit message (which often says what
/// was changed), no changed source file names.
/// </summary>
public sealed class PlaceholderStatementWriter : IProblemStatementWriter
{
    public Task<string> WriteAsync(MinedCandidate candidate, CancellationToken cancellationToken = default)
    {
        var sb = new StringBuilder();
        sb.Append("Some behaviour of this repository is wrong: the following tests fail and should pass.\n\n");
        foreach (var id in candidate.FailToPass.Take(20)) sb.Append("- `").Append(id).Append("`\n");
        if (candidate.FailToPass.Count > 20) sb.Append("- … and ").Append(candidate.FailToPass.Count - 20).Append(" more\n");
        sb.Append("\nFix the library code so that they pass without breaking other tests. Do not change the tests.\n");
        return Task.FromResult(sb.ToString());
    }
}
