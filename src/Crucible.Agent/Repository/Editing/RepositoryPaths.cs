namespace Crucible.Agent.Repository.Editing;

/// <summary>
/// Resolves a path a model wrote to a file inside the repository, or refuses it: absolute paths, <c>..</c> that
/// climbs out, anything under <c>.git</c>, and any path through a symbolic link (which could point anywhere on the
/// host) are refused. So an edit can never touch a file outside the repository.
/// </summary>
public static class RepositoryPaths
{
    public static string Resolve(string root, string relative, out string normalised)
    {
        var rootFull = Path.GetFullPath(root).TrimEnd('/');
        var r = relative.Replace('\\', '/').Trim();
        normalised = r;
        if (r.Length == 0) throw new EditRefusedException("the edit names no file");
        if (r.Contains('\0')) throw new EditRefusedException($"'{relative}' is not a valid path");
        if (Path.IsPathRooted(r) || r.StartsWith('~'))
            throw new EditRefusedException($"'{relative}' is an absolute path; edits must name files relative to the repository root");
        var full = Path.GetFullPath(Path.Combine(rootFull, r));
        if (!full.StartsWith(rootFull + "/", StringComparison.Ordinal))
            throw new EditRefusedException($"'{relative}' is outside the repository");
        normalised = Path.GetRelativePath(rootFull, full).Replace('\\', '/');
        if (normalised.Split('/').Any(p => p == ".git"))
            throw new EditRefusedException($"'{relative}' is inside .git; only the working tree may be edited");
        var at = rootFull;
        foreach (var part in normalised.Split('/'))
        {
            at = Path.Combine(at, part);
            var info = new FileInfo(at);
            if (info.Exists || Directory.Exists(at))
            {
                if ((info.Exists ? info.LinkTarget : new DirectoryInfo(at).LinkTarget) is not null)
                    throw new EditRefusedException($"'{relative}' goes through a symbolic link; edits never follow links");
            }
            else break;
        }
        return full;
    }
}
