using Crucible.Sandbox;

namespace Crucible.Sandbox.Tests;

/// <summary>The parked threads that read run output: every piece of work runs, concurrently, and threads are reused.</summary>
public sealed class ReaderThreadsTests
{
    [Fact]
    public async Task Concurrent_work_all_runs_on_threads_of_its_own()
    {
        // 40 pieces that each wait for all the others: they can only finish if each got its own thread at once.
        const int n = 40;
        using var barrier = new Barrier(n);
        var done = Enumerable.Range(0, n).Select(_ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        for (var i = 0; i < n; i++)
        {
            var me = done[i];
            ReaderThreads.Run(() => me.SetResult(barrier.SignalAndWait(TimeSpan.FromSeconds(20))));
        }
        var met = await Task.WhenAll(done.Select(d => d.Task)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(met, Assert.True);
    }

    [Fact]
    public async Task A_finished_thread_takes_the_next_piece_of_work()
    {
        async Task<Thread> RunOne()
        {
            var ran = new TaskCompletionSource<Thread>(TaskCreationOptions.RunContinuationsAsynchronously);
            ReaderThreads.Run(() => ran.SetResult(Thread.CurrentThread));
            return await ran.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        var seen = new HashSet<Thread>();
        for (var i = 0; i < 20; i++)
        {
            seen.Add(await RunOne());
            await Task.Delay(5); // the thread is parked again before the next piece arrives
        }
        // Other tests may hold parked threads too; sequential work never needs more than a few of them.
        Assert.True(seen.Count < 20, $"{seen.Count} threads for 20 sequential pieces: none was reused");
        Assert.All(seen, t => Assert.Equal("crucible run output", t.Name));
    }

    [Fact]
    public async Task A_piece_of_work_that_throws_does_not_take_its_thread_down()
    {
        var threads = new List<Thread>();
        ReaderThreads.Run(() => { lock (threads) threads.Add(Thread.CurrentThread); throw new InvalidOperationException("boom"); });
        var after = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await Task.Delay(50);
        ReaderThreads.Run(after.SetResult);
        await after.Task.WaitAsync(TimeSpan.FromSeconds(10));
        lock (threads) Assert.Single(threads);
        Assert.True(threads[0].IsAlive, "the thread that ran the throwing work should be parked, not dead");
    }
}
