using System.Diagnostics;

namespace Crucible.Agent.Repository.Workspace;

/// <summary>
/// A user's local repository as a task base, without touching it: its files (tracked and untracked-but-not-ignored
/// when it is a git repository, every file but <c>.git</c> otherwise; symlinks skipped, so nothing outside the tree is
/// copied) are copied into a new directory and committed as the single commit of a fresh git repository. Only reads
/// the source. <see cref="ApplyAsync"/> is the one call that writes to the user's tree, and only when asked.
/// </summary>
public static class LocalSnapshot
{
    private static readonly Dictionary<string, string> Identity = new()
    {
        ["GIT_AUTHOR_NAME"] = "crucible", ["GIT_AUTHOR_EMAIL"] = "crucible@localhost", ["GIT_COMMITTER_NAME"] = "crucible",
        ["GIT_COMMITTER_EMAIL"] = "crucible@localhost", ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_CONFIG_GLOBAL"] = "/dev/null",
    };

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/> (must not exist) and commits it; returns the commit id.</summary>
    public static async Task<string> CreateAsync(string source, string destination, CancellationToken ct)
    {
        var src = Path.GetFullPath(source);
        if (!Directory.Exists(src)) throw new DirectoryNotFoundException($"--repo '{source}' is not a directory.");
        if (Directory.Exists(destination) && Directory.EnumerateFileSystemEntries(destination).Any())
            throw new IOException($"snapshot directory {destination} is not empty");
        Directory.CreateDirectory(destination);
        IEnumerable<string> files;
        if (Directory.Exists(Path.Combine(src, ".git")) || File.Exists(Path.Combine(src, ".git")))
        {
            var listed = await RunGitAsync(src, ["-c", "core.quotepath=off", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], ct).ConfigureAwait(false);
            files = listed.Split('\0', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal);
        }
        else
        {
            files = Directory.EnumerateFiles(src, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
                .Select(f => Path.GetRelativePath(src, f).Replace('\\', '/'))
                .Where(f => !f.Split('/').Contains(".git"));
        }
        foreach (var rel in files)
        {
            var from = Path.Combine(src, rel);
            var info = new FileInfo(from);
            if (!info.Exists || info.LinkTarget is not null || rel.Split('/').Any(p => p is ".." or ".git")) continue;
            var to = Path.Combine(destination, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to);
        }
        await RunGitAsync(destination, ["init", "-q", "-b", "main"], ct).ConfigureAwait(false);
        await RunGitAsync(destination, ["add", "-A", "-f"], ct).ConfigureAwait(false);
        await RunGitAsync(destination, ["-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "--allow-empty", "-m", "base"], ct).ConfigureAwait(false);
        return (await RunGitAsync(destination, ["rev-parse", "HEAD"], ct).ConfigureAwait(false)).Trim();
    }

    /// <summary>Applies <paramref name="patchFile"/> to the user's tree (checked first, so a patch that does not apply changes nothing).</summary>
    public static async Task ApplyAsync(string target, string patchFile, CancellationToken ct)
    {
        await RunGitAsync(target, ["apply", "--check", Path.GetFullPath(patchFile)], ct).ConfigureAwait(false);
        await RunGitAsync(target, ["apply", Path.GetFullPath(patchFile)], ct).ConfigureAwait(false);
    }

    private static async Task<string> RunGitAsync(string cwd, IReadOnlyList<string> args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in Identity) psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start git");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct).ConfigureAwait(false);
        if (p.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)} failed in {cwd}: {(await stderr.ConfigureAwait(false)).Trim()}");
        return await stdout.ConfigureAwait(false);
    }
}
