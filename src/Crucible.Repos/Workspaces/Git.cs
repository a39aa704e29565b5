using System.Diagnostics;
using System.Text;

namespace Crucible.Repos.Workspaces;

/// <summary>
/// Host-side git on the user's own repository (trusted): resolving commits, listing and reading base trees, checking
/// a tree out into a fresh directory. Never used on a tree that sandboxed code has touched.
/// </summary>
internal static class Git
{
    public sealed record Result(int ExitCode, byte[] Stdout, string Stderr)
    {
        public string Text => Encoding.UTF8.GetString(Stdout);
    }

    public static async Task<Result> RunAsync(string? workingDirectory, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? env = null, CancellationToken ct = default)
    {
        var psi = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        psi.Environment["LC_ALL"] = "C";
        // A workspace's tmpfs belongs to its sandbox uid; the host (root) initialises it before any sandboxed code runs.
        psi.Environment["GIT_CONFIG_COUNT"] = "1";
        psi.Environment["GIT_CONFIG_KEY_0"] = "safe.directory";
        psi.Environment["GIT_CONFIG_VALUE_0"] = "*";
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new IOException("could not start git");
        p.StandardInput.Close();
        using var ms = new MemoryStream();
        var outTask = p.StandardOutput.BaseStream.CopyToAsync(ms, ct);
        var errTask = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct).ConfigureAwait(false);
        await outTask.ConfigureAwait(false);
        return new Result(p.ExitCode, ms.ToArray(), await errTask.ConfigureAwait(false));
    }

    public static async Task<Result> RequireAsync(string? cwd, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? env = null, CancellationToken ct = default)
    {
        var r = await RunAsync(cwd, args, env, ct).ConfigureAwait(false);
        if (r.ExitCode != 0) throw new IOException($"git {string.Join(' ', args)} failed ({r.ExitCode}): {r.Stderr.Trim()}");
        return r;
    }

    /// <summary>The git directory of a clone (its .git) or of a bare repository; null when the path is neither.</summary>
    public static string? GitDirectory(string repositoryPath)
    {
        var dotGit = Path.Combine(repositoryPath, ".git");
        if (Directory.Exists(dotGit)) return dotGit;
        if (File.Exists(dotGit)) return repositoryPath; // worktree or submodule: let git find it from the work tree
        return File.Exists(Path.Combine(repositoryPath, "HEAD")) && Directory.Exists(Path.Combine(repositoryPath, "objects")) ? repositoryPath : null;
    }

    /// <summary>A fixed identity and date, so the fresh base commit of a workspace has the same id every time.</summary>
    public static readonly IReadOnlyDictionary<string, string> FixedIdentity = new Dictionary<string, string>
    {
        ["GIT_AUTHOR_NAME"] = "crucible",
        ["GIT_AUTHOR_EMAIL"] = "crucible@localhost",
        ["GIT_COMMITTER_NAME"] = "crucible",
        ["GIT_COMMITTER_EMAIL"] = "crucible@localhost",
        ["GIT_AUTHOR_DATE"] = "2000-01-01T00:00:00Z",
        ["GIT_COMMITTER_DATE"] = "2000-01-01T00:00:00Z",
    };
}
