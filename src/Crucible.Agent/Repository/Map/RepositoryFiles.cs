using System.Security.Cryptography;
using System.Text;

namespace Crucible.Agent.Repository.Map;

/// <summary>Finds the text source files of a repository: skips VCS, virtualenv, cache and build directories, binaries and huge files.</summary>
public static class RepositoryFiles
{
    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.Ordinal)
    {
        ".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox", ".mypy_cache", ".pytest_cache",
        ".ruff_cache", "build", "dist", ".eggs", "bin", "obj", "target", ".idea", ".vscode",
    };

    private static readonly Dictionary<string, string> Languages = new(StringComparer.OrdinalIgnoreCase)
    {
        [".py"] = "python", [".pyi"] = "python", [".cs"] = "csharp",
        [".js"] = "javascript", [".mjs"] = "javascript", [".ts"] = "typescript", [".go"] = "go", [".rs"] = "rust",
        [".java"] = "java", [".c"] = "c", [".h"] = "c", [".cc"] = "cpp", [".cpp"] = "cpp", [".hpp"] = "cpp", [".rb"] = "ruby",
        [".md"] = "text", [".rst"] = "text", [".txt"] = "text", [".toml"] = "text", [".cfg"] = "text", [".ini"] = "text",
        [".yaml"] = "text", [".yml"] = "text", [".json"] = "text",
    };

    /// <summary>Language of <paramref name="path"/> by extension, or null when the map ignores the file.</summary>
    public static string? LanguageOf(string path) => Languages.GetValueOrDefault(Path.GetExtension(path));

    public static IReadOnlyList<SourceFile> Load(string root, long maxFileBytes = 1 << 20)
    {
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"repository directory not found: {root}");
        var files = new List<SourceFile>();
        Walk(full, full, files, maxFileBytes);
        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return files;
    }

    private static void Walk(string root, string dir, List<SourceFile> files, long maxFileBytes)
    {
        foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos())
        {
            // Symlinks are never followed: they may point outside the repository.
            if (entry.LinkTarget is not null) continue;
            if (entry is DirectoryInfo d)
            {
                if (!SkippedDirectories.Contains(d.Name) && !d.Name.EndsWith(".egg-info", StringComparison.Ordinal)) Walk(root, d.FullName, files, maxFileBytes);
                continue;
            }
            var f = (FileInfo)entry;
            if (LanguageOf(f.Name) is not { } language || f.Length > maxFileBytes) continue;
            var bytes = File.ReadAllBytes(f.FullName);
            if (bytes.AsSpan(0, Math.Min(bytes.Length, 8192)).Contains((byte)0)) continue;
            var text = Encoding.UTF8.GetString(bytes);
            var rel = Path.GetRelativePath(root, f.FullName).Replace('\\', '/');
            files.Add(new SourceFile(rel, language, text, Convert.ToHexStringLower(SHA256.HashData(bytes))));
        }
    }
}
