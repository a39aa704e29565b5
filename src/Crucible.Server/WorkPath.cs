using Crucible.Client;

namespace Crucible.Server;

/// <summary>
/// A file path a request names inside the sandbox's work directory (<c>files</c>, <c>fetch_files</c>): relative, or
/// under <c>/work/</c>, naming a file — never the directory itself, a parent, or a path ending in '/'. Checked before
/// anything runs, so a bad name is the client's 422, not a sandbox error that shows a host path.
/// </summary>
internal static class WorkPath
{
    private const int MaxBytes = 1024;
    private const int MaxSegmentBytes = 255;

    /// <summary>Throws <see cref="InvalidFieldException"/> naming <paramref name="field"/> when the path is not a file inside /work.</summary>
    public static void Check(string field, string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Contains('\0'))
            throw Bad(field, path, "a file path must be a non-empty relative path, e.g. data/input.txt");
        if (System.Text.Encoding.UTF8.GetByteCount(path) > MaxBytes)
            throw Bad(field, path, $"a file path may be at most {MaxBytes} bytes");
        var rel = Strip(path);
        if (rel.Length == 0 || rel.EndsWith('/'))
            throw Bad(field, path, "the path names a directory; name a file inside it, e.g. data/input.txt");
        if (rel.StartsWith('/'))
            throw Bad(field, path, "the path must stay inside the work directory: use a relative path (or one under /work/)");
        foreach (var segment in rel.Split('/'))
        {
            if (segment is "" or "." or "..")
                throw Bad(field, path, "the path must be plain names separated by single '/', without '.' or '..' parts");
            if (System.Text.Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes)
                throw Bad(field, path, $"each name in a path may be at most {MaxSegmentBytes} bytes");
        }
    }

    /// <summary>
    /// Throws when two checked paths name the same file (<c>a</c>, <c>./a</c>, <c>/work/a</c>) or one would have to
    /// be both a file and a directory (<c>a</c> and <c>a/b</c>): no order of writing them can honour both.
    /// </summary>
    public static void CheckDistinct(string field, IEnumerable<string> paths)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var rel = Strip(path);
            if (seen.TryGetValue(rel, out var other))
                throw new InvalidFieldException(field, $"'{Show(path)}' and '{Show(other)}' name the same file; send it once.");
            seen[rel] = path;
        }
        foreach (var (rel, path) in seen)
        {
            for (var slash = rel.IndexOf('/'); slash > 0; slash = rel.IndexOf('/', slash + 1))
                if (seen.TryGetValue(rel[..slash], out var parent))
                    throw new InvalidFieldException(field, $"'{Show(parent)}' is a file, so '{Show(path)}' cannot be inside it; rename one of them.");
        }
    }

    private static string Strip(string path)
    {
        if (path.StartsWith("/work/", StringComparison.Ordinal)) return path[6..];
        if (path == "/work") return "";
        return path.StartsWith("./", StringComparison.Ordinal) ? path[2..] : path;
    }

    private static InvalidFieldException Bad(string field, string? path, string why) =>
        new(field, $"'{Show(path)}' is not a usable file path: {why}.");

    private static string Show(string? path) => path is null ? "null" : path.Length > 80 ? path[..80] + "…" : path.Replace("\0", "\\0", StringComparison.Ordinal);
}
