using Crucible.Sandbox;

namespace Crucible.Sandbox.Tests;

/// <summary>fetch_files reads what the program left: only regular files, within a total byte budget, never hanging.</summary>
[Collection("cold")]
public sealed class FetchFilesTests(ColdSandboxFixture fx)
{
    [Fact]
    public async Task OnlyRegularFilesAreFetchedWithinTheTotalBudget()
    {
        await using var s = await fx.OpenAsync(new SourceProgram("python", """
import os, socket
os.mkfifo('/work/fifo')
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind('/work/sock')
os.symlink('/etc/passwd', '/work/link')
with open('/work/big', 'wb') as f:
    f.write(b'b' * (12 << 20))
for i in range(8):
    os.link('/work/big', '/work/hard%d' % i)
open('/work/ok.txt', 'w').write('fine')
os.mkdir('/work/dir')
print('made')
"""), ResourceLimits.Default with { CpuTime = TimeSpan.FromSeconds(5) });
        string[] names = ["fifo", "sock", "link", "dir", "ok.txt", "missing", "big", .. Enumerable.Range(0, 8).Select(i => $"hard{i}")];
        var run = s.RunAsync(new RunRequest { FetchFiles = names });
        // Before the fix a FIFO without a writer blocked the host forever: fail instead of hanging the suite.
        var r = await run.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(r.Verdict == Verdict.Ok, $"{r.Verdict} {r.Message} {r.Stderr}");
        Assert.Equal("fine", System.Text.Encoding.UTF8.GetString(r.FetchedFiles["ok.txt"]));
        foreach (var refused in new[] { "fifo", "sock", "link", "dir" })
        {
            Assert.False(r.FetchedFiles.ContainsKey(refused), refused);
            Assert.Contains("only regular files", r.FetchRefused[refused]);
        }
        Assert.Contains("FIFO", r.FetchRefused["fifo"]);
        Assert.False(r.FetchedFiles.ContainsKey("missing"));
        Assert.False(r.FetchRefused.ContainsKey("missing"));
        var total = r.FetchedFiles.Values.Sum(b => (long)b.Length);
        Assert.True(total <= fx.Pool.Options.MaxFetchBytes, $"fetched {total} bytes");
        Assert.True(r.FetchedFiles.ContainsKey("big"));
        Assert.Contains(r.FetchRefused.Values, v => v.Contains("total of fetched bytes"));
    }

    [Fact]
    public async Task AFetchHonoursCancellation()
    {
        await using var s = await fx.OpenAsync(new SourceProgram("python", "open('/work/f', 'wb').write(b'x' * (8 << 20))\n"));
        using var cts = new CancellationTokenSource();
        var first = await s.RunAsync(new RunRequest());
        Assert.Equal(Verdict.Ok, first.Verdict);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => s.RunAsync(new RunRequest { FetchFiles = ["f"] }, cts.Token));
    }
}
