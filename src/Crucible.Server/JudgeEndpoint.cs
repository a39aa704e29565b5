using Crucible.Client;
using Microsoft.AspNetCore.Http;
using Crucible.Judge;
using Crucible.Sandbox;

namespace Crucible.Server;

/// <summary><c>POST /v1/judge</c>: one submission, many tests of any kind, compiled once, per-test verdicts and usage.</summary>
internal static class JudgeEndpoint
{
    public static Task HandleAsync(ExecutionHost host, HttpContext context) =>
        host.HandleAsync<JudgeRequest, JudgeWork>(context, "judge", r => Prepare(host, r), _ => 1, (w, scope) => ExecuteAsync(host, w, scope));

    public static JudgeWork Prepare(ExecutionHost host, JudgeRequest r)
    {
        if (r.Code is null) throw new InvalidFieldException("code", "code is required: the submission's source.");
        var language = Languages.Resolve(host, r.Language, "language");
        if (r.Problem is not null && r.GroundTruth is not null)
            throw new InvalidFieldException("ground_truth", "send either problem or ground_truth, not both.");
        var problem = r.Problem is { } spec ? spec.ToProblem("problem")
            : r.GroundTruth is { } gt ? GroundTruthReader.Read(gt, "ground_truth", "request", r.EntryPoint)
            : throw new InvalidFieldException("problem", "the tests are required: send problem {tests: [...]} or ground_truth in a dataset shape.");
        if (problem.Limits.MemoryBytes is { } bytes) WireLimits.MemoryBytes(bytes >> 20, "problem.memory_limit_mb", host.Options.MaxRunMemoryBytes, ServerOptions.MaxMemorySetting);
        // A data source grades ground truth as its trainer's reward code does (docs/rewards.md).
        if (r.Problem is null && GradingRules.Find(r.DataSource) is { } rule) problem = rule.ApplyTo(problem);
        var options = new JudgeOptions
        {
            StopAtFirstFailure = r.StopAtFirstFailure,
            CpuTimePerTestOverride = WireLimits.Seconds(r.CpuTimeLimitSeconds, "cpu_time_limit_s"),
            Batch = r.Batch ?? true,
        };
        if (r.PythonPrelude is not null) options = options with { PythonPrelude = r.PythonPrelude.Length == 0 ? null : r.PythonPrelude };
        return new JudgeWork(new Submission(problem, language, r.Code), options);
    }

    public static async Task<object> ExecuteAsync(ExecutionHost host, JudgeWork work, RequestScope scope)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var slot = await scope.EnterAsync().ConfigureAwait(false);
        JudgeResponse response;
        try
        {
            var result = await host.Judge.JudgeAsync(work.Submission, work.Options, scope.Token).ConfigureAwait(false);
            response = JudgeResponse.From(result, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (scope.DrainEnded)
        {
            throw scope.Unfinished();
        }
        catch (OperationCanceledException) when (!scope.ClientGone)
        {
            response = Interrupted(work, $"interrupted: {scope.InterruptReason}", started);
        }
        catch (ArgumentException e)
        {
            // The judge refuses test data it cannot run (e.g. a function-call test for a C++ submission) before running.
            throw ApiException.Invalid("problem", e.Message);
        }
        catch (SandboxException e)
        {
            throw ApiException.Invalid("code", e.Message);
        }
        host.Metrics.Verdict("judge", response.Outcome.ToString());
        return response;
    }

    private static JudgeResponse Interrupted(JudgeWork work, string message, long started) => new()
    {
        Outcome = TestOutcome.SandboxError,
        InfraError = true,
        TotalTests = work.Submission.Problem.Tests.Count,
        Message = message,
        ElapsedMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds,
    };
}
