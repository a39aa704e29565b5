using System.Diagnostics;

namespace Crucible.Sandbox;

/// <summary>
/// Watches one running program from the host: CPU time of its whole tree (from the run's cgroup), wall time and
/// output caps, kills the tree on any limit, and decides the verdict. Shared by cold and warm runs, so both give
/// the same verdicts for the same behaviour.
/// </summary>
internal static class RunSupervisor
{
    public static async Task<RunResult> SuperviseAsync(RunningProgram program, RunCgroup? cg, ResourceLimits limits,
        ReadOnlyMemory<byte> stdin, Stopwatch wall, CancellationToken cancellationToken, bool watchCpu = true)
    {
        using var outputExceeded = new CancellationTokenSource();
        var stdoutReader = OutputReader.Start(program.Stdout, limits.MaxOutputBytes, outputExceeded);
        var stderrReader = OutputReader.Start(program.Stderr, limits.MaxOutputBytes, outputExceeded);
        var stdinTask = WriteStdinAsync(program.Stdin, stdin);
        var exitTask = program.Exited;

        var killedFor = KillReason.None;
        var wallLimit = limits.EffectiveWallTime;
        var cores = Math.Max(1, Environment.ProcessorCount);
        while (!exitTask.IsCompleted)
        {
            var cpu = cg?.CpuTime() ?? TimeSpan.Zero;
            if (cancellationToken.IsCancellationRequested) killedFor = KillReason.Cancelled;
            else if (outputExceeded.IsCancellationRequested) killedFor = KillReason.Output;
            else if (watchCpu && cg is not null && cpu > limits.CpuTime) killedFor = KillReason.Cpu;
            else if (wall.Elapsed > wallLimit) killedFor = KillReason.Wall;
            if (killedFor != KillReason.None) break;

            // Sleep until the earliest moment a limit could be crossed: CPU cannot advance faster than cores × wall.
            var untilWall = wallLimit - wall.Elapsed;
            var untilCpu = cg is null || !watchCpu ? untilWall : (limits.CpuTime - cpu) / cores;
            var wait = TimeSpan.FromTicks(Math.Clamp(Math.Min(untilWall.Ticks, untilCpu.Ticks), TimeSpan.TicksPerMillisecond, TimeSpan.TicksPerMillisecond * 250));
            using var delayCts = CancellationTokenSource.CreateLinkedTokenSource(outputExceeded.Token, cancellationToken);
            try
            {
                var delay = Task.Delay(wait, delayCts.Token);
                // Most runs end before the delay: take its timer out of the queue rather than let it fire for nothing.
                if (await Task.WhenAny(exitTask, delay).ConfigureAwait(false) != delay) delayCts.Cancel();
            }
            catch (OperationCanceledException) { }
        }

        if (killedFor != KillReason.None) program.Kill();
        var status = await exitTask.ConfigureAwait(false);
        var wallTime = wall.Elapsed;
        // Whatever the program left behind (daemons, stopped children) dies with the run.
        cg?.KillAll();

        // Every process of the run is gone now, so end-of-file should follow at once. If a pipe stays open, its
        // write end lives on outside the run's processes: only the program can have put it there (e.g. handed over
        // a unix socket), so it is the program's failure, judged with what it wrote so far.
        var drained = Task.WhenAll(stdoutReader.Completion, stderrReader.Completion);
        var pipesHeld = !await FinishesWithinAsync(drained, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        if (pipesHeld) program.Kill();
        // A stdin write can only still be pending if the program's stdin is held open unread elsewhere; do not wait on it.
        if (!pipesHeld) await FinishesWithinAsync(stdinTask, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        var (stdout, stdoutTrunc) = stdoutReader.Take();
        var (stderr, stderrTrunc) = stderrReader.Take();

        if (killedFor == KillReason.Cancelled)
            throw new OperationCanceledException(cancellationToken);

        var facts = new RunFacts
        {
            KilledFor = killedFor,
            Status = status,
            CpuTime = cg?.CpuTime() ?? wallTime,
            HasCgroup = cg is not null,
            OomKilled = cg?.OomKilled() ?? false,
            UnderOom = cg?.UnderOom() ?? false,
            HitMemoryLimit = cg?.HitLimit() ?? false,
            PipesHeldOpen = pipesHeld,
        };
        var (verdict, kind, message) = VerdictRules.Decide(facts, limits);
        if (verdict == Verdict.SandboxError)
            return RunResult.SandboxFailure($"{message}: {System.Text.Encoding.UTF8.GetString(stderr).Trim()}") with { WallTime = wallTime };
        return new RunResult
        {
            Verdict = verdict,
            TimeLimit = kind,
            ExitCode = killedFor == KillReason.None ? status.Code : null,
            Signal = killedFor == KillReason.None ? status.Signal : Libc.SIGKILL,
            StdoutBytes = stdout,
            StderrBytes = stderr,
            StdoutTruncated = stdoutTrunc,
            StderrTruncated = stderrTrunc,
            CpuTime = facts.CpuTime,
            WallTime = wallTime,
            PeakMemoryBytes = cg?.PeakMemory() ?? 0,
            Message = message,
        };
    }

    private static async Task WriteStdinAsync(Stream stdin, ReadOnlyMemory<byte> data)
    {
        try
        {
            if (!data.IsEmpty) await stdin.WriteAsync(data).ConfigureAwait(false);
        }
        catch (IOException) { /* the program closed stdin or exited: not our failure */ }
        catch (ObjectDisposedException) { }
        finally
        {
            try { await stdin.DisposeAsync().ConfigureAwait(false); } catch (IOException) { }
        }
    }

    /// <summary>
    /// Whether the task finishes within the time. Its usual case, already finished, creates no timer; otherwise the
    /// timer is cancelled as soon as the task finishes (a run per few milliseconds would otherwise leave thousands of
    /// pending timers for the timer thread to fire for nothing).
    /// </summary>
    private static async Task<bool> FinishesWithinAsync(Task task, TimeSpan time)
    {
        if (task.IsCompleted) return true;
        using var cancel = new CancellationTokenSource();
        var delay = Task.Delay(time, cancel.Token);
        var first = await Task.WhenAny(task, delay).ConfigureAwait(false);
        cancel.Cancel();
        return first == task;
    }
}
