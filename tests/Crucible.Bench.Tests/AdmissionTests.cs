using System.Threading.Channels;
using Crucible.Judge;

namespace Crucible.Bench.Tests;

public sealed class AdmissionTests
{
    private static Problem Calls(string id, int tests, int answerBytes) => new()
    {
        Id = id,
        Tests = Enumerable.Range(0, tests).Select(t => (TestCase)new FunctionCallTest("f", $"[{t}]", "\"" + new string('x', answerBytes) + "\"")).ToList(),
    };

    private static ChannelReader<Problem> Work(params Problem[] items)
    {
        var channel = Channel.CreateUnbounded<Problem>();
        foreach (var p in items) channel.Writer.TryWrite(p);
        channel.Writer.Complete();
        return channel.Reader;
    }

    [Fact]
    public async Task One_more_submission_runs_beyond_the_parallelism_only_while_its_expected_answers_are_small()
    {
        var heavy = Calls("heavy", 10, 1_000_000); // 10 MB of answers
        var light = Calls("light", 10, 10);
        Assert.True(Admission.ExpectedBytes(heavy) > Admission.LightBytes);
        Assert.True(Admission.ExpectedBytes(light) <= Admission.LightBytes);

        // Each body waits until released, so what is in flight at once is what admission let in.
        async Task<(int MaxAll, int MaxHeavy)> Run(Problem[] items, int parallelism, int extra)
        {
            int now = 0, nowHeavy = 0, maxAll = 0, maxHeavy = 0;
            var gate = new object();
            await Admission.RunAsync(Work(items), parallelism, extra, p => p, async (p, ct) =>
            {
                lock (gate)
                {
                    now++;
                    if (p.Id == "heavy") nowHeavy++;
                    maxAll = Math.Max(maxAll, now);
                    maxHeavy = Math.Max(maxHeavy, nowHeavy);
                }
                await Task.Delay(30, ct);
                lock (gate)
                {
                    now--;
                    if (p.Id == "heavy") nowHeavy--;
                }
            }, TestContext.Current.CancellationToken);
            return (maxAll, maxHeavy);
        }

        var heavies = Enumerable.Repeat(heavy, 6).ToArray();
        var lights = Enumerable.Repeat(light, 6).ToArray();
        Assert.Equal((2, 2), await Run(heavies, 2, 1));                  // heavy ones never beyond the parallelism
        Assert.Equal(3, (await Run(lights, 2, 1)).MaxAll);               // light ones take the extra place
        Assert.Equal((3, 2), await Run([.. heavies, .. lights], 2, 1));  // together: 2 heavy and 1 light at most
        Assert.Equal(2, (await Run(lights, 2, 0)).MaxAll);               // no extra place asked for
    }

    [Fact]
    public async Task A_failing_submission_stops_the_others_and_its_own_error_is_thrown_after_they_end()
    {
        var p = Calls("p", 1, 1);
        var started = 0;
        var ended = 0;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Admission.RunAsync(Work(Enumerable.Repeat(p, 20).ToArray()), 2, 1, x => x, async (x, ct) =>
        {
            var n = Interlocked.Increment(ref started);
            try
            {
                if (n == 2) throw new InvalidOperationException("judge broke");
                await Task.Delay(TimeSpan.FromSeconds(30), ct);
            }
            finally
            {
                Interlocked.Increment(ref ended);
            }
        }, TestContext.Current.CancellationToken));
        Assert.Equal("judge broke", error.Message);
        Assert.Equal(Volatile.Read(ref started), Volatile.Read(ref ended)); // none left running
        Assert.True(started < 20);                                          // the rest never started
    }

    [Fact]
    public async Task A_failing_work_source_is_thrown_after_what_was_started_ends()
    {
        var channel = Channel.CreateUnbounded<Problem>();
        channel.Writer.TryWrite(Calls("p", 1, 1));
        var finished = false;
        var run = Admission.RunAsync(channel.Reader, 1, 0, x => x, async (x, ct) =>
        {
            await Task.Delay(100, CancellationToken.None);
            finished = true;
        }, TestContext.Current.CancellationToken);
        channel.Writer.Complete(new IOException("reference run failed"));
        var error = await Assert.ThrowsAsync<IOException>(() => run);
        Assert.Equal("reference run failed", error.Message);
        Assert.True(finished);
    }
}
