using System.Text;
using Crucible.Client;
using Microsoft.AspNetCore.Http;
using Crucible.Sandbox;

namespace Crucible.Server;

/// <summary>
/// <c>POST /run_code</c>: SandboxFusion's API over Crucible's sandbox, so clients written for SandboxFusion (verl's
/// <c>reward_model.sandbox_fusion.url</c>) work unchanged. <c>run_timeout</c> is the CPU-time limit, with the
/// sandbox's wall-clock backstop (2 × CPU + 1 s); compilers run under the server's compile limits.
/// </summary>
internal static class RunCodeEndpoint
{
    public static Task HandleAsync(ExecutionHost host, HttpContext context) =>
        host.HandleAsync<RunCodeRequest, RunCodeRequest>(context, "run_code", r => Validate(host, r), _ => 1, (r, scope) => ExecuteAsync(host, r, scope));

    public static async Task<object> ExecuteAsync(ExecutionHost host, RunCodeRequest request, RequestScope scope)
    {
        var language = host.Pool.Languages.Require(request.Language!);
        var limits = ResourceLimits.Default with
        {
            CpuTime = TimeSpan.FromSeconds(request.RunTimeout),
            MemoryBytes = request.MemoryLimitMB > 0 ? request.MemoryLimitMB << 20 : host.Options.DefaultRunMemoryBytes,
        };
        var files = new Dictionary<string, byte[]>();
        foreach (var (path, content) in request.Files)
            if (content is not null) files[path] = Convert.FromBase64String(content);

        using var slot = await scope.EnterAsync().ConfigureAwait(false);
        CommandRunResult? compileResult = null, runResult = null;
        var fetched = new Dictionary<string, string>();
        try
        {
            await using var session = await host.Pool.OpenSessionAsync(new SourceProgram(language.Id, request.Code!), limits, scope.Token).ConfigureAwait(false);
            if (language.IsCompiled) compileResult = SandboxFusionMapping.FromCompile(session.Compile);
            if (session.Compile.Succeeded)
            {
                var run = await session.RunAsync(new RunRequest
                {
                    Stdin = request.Stdin is null ? default : Encoding.UTF8.GetBytes(request.Stdin),
                    Files = files,
                    FetchFiles = request.FetchFiles,
                    Limits = limits,
                }, scope.Token).ConfigureAwait(false);
                runResult = SandboxFusionMapping.FromRun(run);
                foreach (var (path, bytes) in run.FetchedFiles) fetched[path] = Convert.ToBase64String(bytes);
            }
        }
        catch (OperationCanceledException) when (scope.DrainEnded)
        {
            throw scope.Unfinished();
        }
        catch (OperationCanceledException) when (!scope.ClientGone)
        {
            runResult = new CommandRunResult { Status = CommandRunStatus.Error, Stderr = $"interrupted: {scope.InterruptReason}", Verdict = nameof(Verdict.SandboxError) };
        }
        catch (SandboxException e)
        {
            runResult = new CommandRunResult { Status = CommandRunStatus.Error, Stderr = e.Message, Verdict = nameof(Verdict.SandboxError) };
        }
        var (status, message) = SandboxFusionMapping.StatusOf(compileResult, runResult);
        host.Metrics.Verdict("run_code", runResult?.Verdict ?? compileResult?.Verdict ?? status.ToString());
        return new RunCodeResponse
        {
            Status = status,
            Message = message,
            CompileResult = compileResult,
            RunResult = runResult,
            ExecutorPodName = Environment.GetEnvironmentVariable("MY_POD_NAME"),
            Files = fetched,
        };
    }

    /// <summary>Checks every field before anything is queued; throws <see cref="InvalidFieldException"/> with the fix.</summary>
    public static RunCodeRequest Validate(ExecutionHost host, RunCodeRequest r)
    {
        if (r.Code is null) throw new InvalidFieldException("code", "code is required: the program to run.");
        if (Encoding.UTF8.GetByteCount(r.Code) > host.Pool.Options.MaxSourceBytes)
            throw new InvalidFieldException("code", $"code is larger than the server's limit of {host.Pool.Options.MaxSourceBytes} bytes.");
        Languages.Resolve(host, r.Language, "language");
        if (!(r.RunTimeout > 0 && r.RunTimeout <= 3600)) throw new InvalidFieldException("run_timeout", $"run_timeout must be in (0, 3600] seconds, got {r.RunTimeout}.");
        if (!(r.CompileTimeout > 0 && r.CompileTimeout <= 3600)) throw new InvalidFieldException("compile_timeout", $"compile_timeout must be in (0, 3600] seconds, got {r.CompileTimeout}.");
        if (r.MemoryLimitMB is > 0 and < 4) throw new InvalidFieldException("memory_limit_MB", $"memory_limit_MB must be at least 4 (or -1 for the server default), got {r.MemoryLimitMB}.");
        if (r.MemoryLimitMB > 1L << 20) throw new InvalidFieldException("memory_limit_MB", $"memory_limit_MB of {r.MemoryLimitMB} is more than a terabyte; pass megabytes, e.g. 1024.");
        foreach (var (path, content) in r.Files)
        {
            CheckPath($"files[\"{path}\"]", path);
            if (content is not null && !IsBase64(content))
                throw new InvalidFieldException($"files[\"{path}\"]", "file content must be base64-encoded (SandboxFusion's convention).");
        }
        for (var i = 0; i < r.FetchFiles.Count; i++) CheckPath($"fetch_files[{i}]", r.FetchFiles[i]);
        return r;
    }

    private static void CheckPath(string field, string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Contains('\0'))
            throw new InvalidFieldException(field, "a file path must be a non-empty relative path, e.g. data/input.txt.");
        var rel = path.StartsWith("/work/", StringComparison.Ordinal) ? path[6..] : path;
        if (rel.StartsWith('/') || rel.Split('/').Any(p => p == ".."))
            throw new InvalidFieldException(field, $"'{path}' must stay inside the work directory: use a relative path without '..'.");
    }

    private static bool IsBase64(string s)
    {
        var buffer = new byte[(s.Length * 3 + 3) / 4];
        return Convert.TryFromBase64String(s, buffer, out _);
    }
}
