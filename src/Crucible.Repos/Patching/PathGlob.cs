using System.Text;
using System.Text.RegularExpressions;

namespace Crucible.Repos.Patching;

/// <summary>Repository-relative path globs: <c>*</c> within a name, <c>**/</c> any directories (none included), <c>**</c> anything.</summary>
public sealed class PathGlob
{
    private readonly Regex[] _patterns;

    public PathGlob(IEnumerable<string> globs) => _patterns = globs.Select(Compile).ToArray();

    public bool Matches(string path) => _patterns.Any(p => p.IsMatch(path));

    private static Regex Compile(string glob)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 2 < glob.Length && glob[i + 1] == '*' && glob[i + 2] == '/') { sb.Append("(?:.*/)?"); i += 2; }
            else if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*') { sb.Append(".*"); i++; }
            else if (c == '*') sb.Append("[^/]*");
            else if (c == '?') sb.Append("[^/]");
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
