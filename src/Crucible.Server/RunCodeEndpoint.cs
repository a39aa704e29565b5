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
            var program = new SourceProgram(language.Id, request.Code!) { CompileTimeLimit = TimeSpan.FromSeconds(request.CompileTimeout) };
            await using var session = await host.Pool.OpenSessionAsync(program, limits, scope.Token).ConfigureAwait(false);
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
        WireLimits.Seconds(r.RunTimeout, "run_timeout");
        WireLimits.Seconds(r.CompileTimeout, "compile_timeout");
        // SandboxFusion's -1 (and any value ≤ 0) means the server's default.
        if (r.MemoryLimitMB > 0) WireLimits.MemoryBytes(r.MemoryLimitMB, "memory_limit_MB", host.Options.MaxRunMemoryBytes, ServerOptions.MaxMemorySetting);
        if (r.Files is null) throw new InvalidFieldException("files", "files must be an object of path → base64 content, e.g. {\"data.txt\": \"aGk=\"}.");
        if (r.FetchFiles is null) throw new InvalidFieldException("fetch_files", "fetch_files must be a list of paths, e.g. [\"out.txt\"].");
        foreach (var (path, content) in r.Files)
        {
            var field = $"files[\"{path}\"]";
            WorkPath.Check(field, path);
            if (content is not null && !IsBase64(content))
                throw new InvalidFieldException(field, "file content must be base64-encoded (SandboxFusion's convention).");
        }
        WorkPath.CheckDistinct("files", r.Files.Where(f => f.Value is not null).Select(f => f.Key));
        for (var i = 0; i < r.FetchFiles.Count; i++) WorkPath.Check($"fetch_files[{i}]", r.FetchFiles[i]);
        return r;
    }

    private static bool IsBase64(string s)
    {
        var buffer = new byte[(s.Length * 3 + 3) / 4];
        return Convert.TryFromBase64String(s, buffer, out _);
    }
}
