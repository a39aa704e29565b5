using System.Text;
using Crucible.Sandbox;

namespace Crucible.Repos.Patching;

/// <summary>
/// Applies a patch inside the workspace's sandbox, as the workspace uid, trying in turn <c>git apply</c>,
/// <c>git apply --reject</c> and <c>patch --fuzz</c>, as the official harness does. Running the tools in the sandbox
/// means a hostile patch (<c>../</c> paths, absolute paths, symlinks to host files) can only ever touch the workspace.
/// Between attempts the files the patch names are restored, so a half-applied attempt never leaks into the next one.
/// Only trusted tools run in that sandbox, so their report on stdout can be believed.
/// </summary>
public static class PatchApplier
{
    private const string Marker = "crucible-apply:";

    internal static readonly IReadOnlyDictionary<string, string> GitEnvironment = new Dictionary<string, string>
    {
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_AUTHOR_NAME"] = "crucible",
        ["GIT_AUTHOR_EMAIL"] = "crucible@localhost",
        ["GIT_COMMITTER_NAME"] = "crucible",
        ["GIT_COMMITTER_EMAIL"] = "crucible@localhost",
    };

    internal static readonly ResourceLimits ApplyLimits = new()
    {
        CpuTime = TimeSpan.FromSeconds(60),
        WallTime = TimeSpan.FromSeconds(120),
        MemoryBytes = 1L << 30,
        MaxProcesses = 32,
        MaxOutputBytes = 4L << 20,
        MaxFileBytes = 256L << 20,
    };

    // $@ = the files the patch names. Each failed attempt is undone from the snapshot before the next one.
    private const string Script = """
        cat > /tmp/p
        rm -f /tmp/snap.tar
        tar -cf /tmp/snap.tar --ignore-failed-read -- "$@" 2>/dev/null || tar -cf /tmp/snap.tar -T /dev/null
        undo() { for f in "$@"; do rm -rf -- "$f" "$f.rej" "$f.orig"; done; tar -xf /tmp/snap.tar 2>/dev/null; true; }
        if git -c core.hooksPath=/dev/null apply --verbose /tmp/p 1>&2; then echo "crucible-apply: git-apply"; exit 0; fi
        undo "$@"
        if git -c core.hooksPath=/dev/null apply --verbose --reject /tmp/p 1>&2; then echo "crucible-apply: git-apply-reject"; exit 0; fi
        undo "$@"
        if patch --batch --fuzz=5 -p1 --no-backup-if-mismatch -i /tmp/p 1>&2; then echo "crucible-apply: patch-fuzz"; exit 0; fi
        undo "$@"
        echo "crucible-apply: failed"
        """;

    // Only these reach the undo step's rm: an absolute path or a ".." could name the workspace itself.
    private static bool IsPlainRelative(string p) =>
        p.Length > 0 && !p.StartsWith('-') && !Path.IsPathRooted(p) && !p.Split('/').Any(c => c is ".." or "." or "");

    public static async Task<PatchOutcome> ApplyAsync(SandboxWorkspace workspace, string? patch, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(patch)) return new PatchOutcome { Applied = true, Method = "empty" };
        var files = UnifiedDiff.Parse(patch);
        if (files.Count == 0) return PatchOutcome.NotApplied("not a unified diff: no file headers (diff --git, or ---/+++ pairs) found");
        var text = patch.EndsWith('\n') ? patch : patch + "\n";
        var args = new List<string> { "/bin/sh", "-c", Script, "apply" };
        args.AddRange(files.SelectMany(f => f.Paths).Distinct(StringComparer.Ordinal).Where(IsPlainRelative));
        var run = await workspace.RunAsync(new WorkspaceCommand
        {
            Argv = args,
            Environment = GitEnvironment,
            Limits = ApplyLimits,
            Stdin = Encoding.UTF8.GetBytes(text),
        }, cancellationToken).ConfigureAwait(false);
        var log = run.Stderr.Trim();
        if (run.Verdict == Verdict.SandboxError)
            return new PatchOutcome { Applied = false, InfrastructureError = run.Message ?? "sandbox error while applying the patch", Log = log };
        var line = run.Stdout.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal));
        var method = line?[Marker.Length..].Trim();
        if (run.Verdict != Verdict.Ok || method is null)
            return PatchOutcome.NotApplied($"patch tools stopped: {run.Verdict} {run.Message}\n{log}".Trim());
        return method == "failed" ? PatchOutcome.NotApplied(log) : new PatchOutcome { Applied = true, Method = method, Log = log };
    }
}
