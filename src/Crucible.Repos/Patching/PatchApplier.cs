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
    private const string Marker = "crucible-apply";

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

    private const string Script = "cat > /tmp/p\n";

    /// <summary>
    /// Shell text that applies the patch in <paramref name="patchFile"/> with the fallback chain, restoring the files it
    /// names between attempts, and prints <c>crucible-apply[LABEL]: METHOD</c> (or <c>failed</c>) on stdout. The snapshot
    /// and the undo name the files explicitly, so nothing else in the workspace is touched.
    /// </summary>
    internal static string ChainScript(string patchFile, IEnumerable<string> names, string label)
    {
        var files = string.Join(' ', names.Where(IsPlainRelative).Distinct(StringComparer.Ordinal).Select(Quote));
        var undo = $"for f in {files}; do rm -rf -- \"$f\" \"$f.rej\" \"$f.orig\"; done; tar -xf /tmp/snap-{label}.tar 2>/dev/null; true";
        if (files.Length == 0) undo = "true";
        // Plain `git apply` is all-or-nothing, so the snapshot is only needed once it has failed.
        var snapshot = files.Length == 0 ? "true" : $"tar -cf /tmp/snap-{label}.tar --ignore-failed-read -- {files} 2>/dev/null || tar -cf /tmp/snap-{label}.tar -T /dev/null 2>/dev/null";
        return $"""
            if git -c core.hooksPath=/dev/null apply --verbose {patchFile} 1>&2; then echo "{Marker}[{label}] git-apply"
            else {snapshot}
              if git -c core.hooksPath=/dev/null apply --verbose --reject {patchFile} 1>&2; then echo "{Marker}[{label}] git-apply-reject"
              else {undo}
                if patch --batch --fuzz=5 -p1 --no-backup-if-mismatch -i {patchFile} 1>&2; then echo "{Marker}[{label}] patch-fuzz"
                else {undo}; echo "{Marker}[{label}] failed"; exit 0
                fi
              fi
            fi

            """;
    }

    /// <summary>The method reported for <paramref name="label"/> in the trusted prefix of a run's stdout, or null when absent.</summary>
    internal static string? ReportedMethod(string trustedStdout, string label)
    {
        var prefix = $"{Marker}[{label}] ";
        return trustedStdout.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..].Trim();
    }

    internal static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    // Only these reach the undo step's rm: an absolute path or a ".." could name the workspace itself.
    private static bool IsPlainRelative(string p) =>
        p.Length > 0 && !p.StartsWith('-') && !Path.IsPathRooted(p) && !p.Split('/').Any(c => c is ".." or "." or "");

    public static async Task<PatchOutcome> ApplyAsync(SandboxWorkspace workspace, string? patch, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(patch)) return new PatchOutcome { Applied = true, Method = "empty" };
        var files = UnifiedDiff.Parse(patch);
        if (files.Count == 0) return PatchOutcome.NotApplied("not a unified diff: no file headers (diff --git, or ---/+++ pairs) found");
        var text = patch.EndsWith('\n') ? patch : patch + "\n";
        var run = await workspace.RunAsync(new WorkspaceCommand
        {
            Argv = ["/bin/sh", "-c", Script + ChainScript("/tmp/p", files.SelectMany(f => f.Paths), "patch")],
            Environment = GitEnvironment,
            Limits = ApplyLimits,
            Stdin = Encoding.UTF8.GetBytes(text),
        }, cancellationToken).ConfigureAwait(false);
        var log = run.Stderr.Trim();
        if (run.Verdict == Verdict.SandboxError)
            return new PatchOutcome { Applied = false, InfrastructureError = run.Message ?? "sandbox error while applying the patch", Log = log };
        var method = ReportedMethod(run.Stdout, "patch");
        if (run.Verdict != Verdict.Ok || method is null)
            return PatchOutcome.NotApplied($"patch tools stopped: {run.Verdict} {run.Message}\n{log}".Trim());
        return method == "failed" ? PatchOutcome.NotApplied(log) : new PatchOutcome { Applied = true, Method = method, Log = log };
    }
}
