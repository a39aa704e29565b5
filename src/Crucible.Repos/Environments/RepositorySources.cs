using Crucible.Repos.Tasks;

namespace Crucible.Repos.Environments;

/// <summary>
/// Where each task's repository and environment spec come from: the task's own <c>repo_path</c>, else
/// <c>DIR/owner__name</c> under the <c>--repos</c> directory. The spec is <c>--env FILE</c> when given, else
/// <c>DIR/owner__name.env.yaml</c>, else the pytest defaults.
/// </summary>
public sealed class RepositorySources(string? reposDirectory, string? environmentFile = null)
{
    private readonly Dictionary<string, RepoEnvironment> _envs = new(StringComparer.Ordinal);
    private readonly RepoEnvironment? _fixed = environmentFile is null ? null : RepoEnvironment.Load(environmentFile);

    public string? ReposDirectory => reposDirectory;

    /// <summary>The local clone or directory for the task's repository; throws naming what was looked for.</summary>
    public string RepositoryPath(RepositoryTask task)
    {
        if (task.RepoPath is { } explicitPath)
        {
            if (!Directory.Exists(explicitPath)) throw new RepositoryInputException($"{task.Origin}: repo_path '{explicitPath}' does not exist.");
            return explicitPath;
        }
        if (reposDirectory is null)
            throw new RepositoryInputException($"task {task.InstanceId}: no repository location; pass --repos DIR holding a clone named {task.RepoDirectoryName} (or set repo_path in the task).");
        var path = Path.Combine(reposDirectory, task.RepoDirectoryName);
        if (!Directory.Exists(path))
            throw new RepositoryInputException($"task {task.InstanceId}: repository {task.Repo} not found at {path}; clone it there (git clone https://github.com/{task.Repo} {path}).");
        return path;
    }

    public RepoEnvironment Environment(RepositoryTask task)
    {
        if (_fixed is not null) return _fixed;
        var candidates = new List<string>();
        if (task.Origin is { } o && Directory.Exists(o)) candidates.Add(Path.Combine(o, "env.yaml"));
        if (reposDirectory is not null) candidates.Add(Path.Combine(reposDirectory, task.RepoDirectoryName + ".env.yaml"));
        var file = candidates.FirstOrDefault(File.Exists);
        if (file is null) return RepoEnvironment.Default;
        lock (_envs)
        {
            if (!_envs.TryGetValue(file, out var env)) _envs[file] = env = RepoEnvironment.Load(file);
            return env;
        }
    }
}
