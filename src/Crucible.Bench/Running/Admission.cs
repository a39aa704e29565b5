using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Crucible.Judge;

namespace Crucible.Bench;

/// <summary>
/// How many submissions an evaluation judges at once. <c>parallelism</c> of them may be of any size; up to
/// <c>extraLight</c> more are admitted while their problem's expected answers are small (<see cref="LightBytes"/>).
/// A judged sample alternates between the host (request, comparison) and its sandbox, and with one sample per core
/// the cores idle at each hand-off; a sample more fills them, but samples of problems with answers of many MB hold
/// those in memory, so only small ones take the extra place and the peak stays that of <c>parallelism</c> samples.
/// </summary>
internal static class Admission
{
    /// <summary>Expected answers (all tests of the problem, as JSON) up to this size make a sample light.</summary>
    public const long LightBytes = 4L << 20;

    /// <summary>
    /// Runs <paramref name="body"/> for each item of <paramref name="work"/>, in order, as places free. As
    /// <c>Parallel.ForEachAsync</c>: the first failure (of the work's reader or of a body) cancels the others, and is
    /// thrown once every started body has ended.
    /// </summary>
    public static async Task RunAsync<T>(ChannelReader<T> work, int parallelism, int extraLight, Func<T, Problem> problemOf,
        Func<T, CancellationToken, ValueTask> body, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = stop.Token;
        using var places = new SemaphoreSlim(parallelism + Math.Max(0, extraLight));
        using var anySize = new SemaphoreSlim(parallelism);
        var lightness = new Dictionary<string, bool>(StringComparer.Ordinal);
        var running = new List<Task>();
        Exception? failure = null;
        try
        {
            await foreach (var item in work.ReadAllAsync(token).ConfigureAwait(false))
            {
                var problem = problemOf(item);
                if (!lightness.TryGetValue(problem.Id, out var light))
                    lightness[problem.Id] = light = extraLight > 0 && ExpectedBytes(problem) <= LightBytes;
                if (!light) await anySize.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    await places.WaitAsync(token).ConfigureAwait(false);
                }
                catch
                {
                    if (!light) anySize.Release();
                    throw;
                }
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        await body(item, token).ConfigureAwait(false);
                    }
                    catch
                    {
                        stop.Cancel();
                        throw;
                    }
                    finally
                    {
                        places.Release();
                        if (!light) anySize.Release();
                    }
                }, CancellationToken.None));
                running.RemoveAll(t => t.IsCompletedSuccessfully);
            }
        }
        catch (Exception e)
        {
            failure = e;
            stop.Cancel();
        }
        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A body's own failure comes before the cancellations it caused in the others.
            var first = running.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault(x => x is not OperationCanceledException);
            if (failure is null or OperationCanceledException) failure = first ?? failure ?? e;
        }
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
    }

    /// <summary>The size of a problem's expected answers, as the judge holds them (a deferred answer by its stored length).</summary>
    public static long ExpectedBytes(Problem problem)
    {
        long total = 0;
        foreach (var test in problem.Tests)
        {
            total += test switch
            {
                FunctionCallTest f => f.DeferredExpected?.Utf8Length ?? f.ExpectedJson.Length,
                StdioTest s => s.ExpectedOutput.Length,
                _ => 0,
            };
        }
        return total;
    }
}
