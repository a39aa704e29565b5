using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace Crucible.Server;

/// <summary>
/// The server's answer to SIGTERM/SIGINT/SIGQUIT (in place of the console lifetime): first <c>/ready</c> turns 503 while
/// work is still admitted for <see cref="ServerOptions.UnreadyDelay"/> — a Kubernetes Service keeps routing to a pod for
/// a moment after it is told to stop — then the host stops: admission closes, admitted work drains, the process exits.
/// A second signal skips the delay.
/// </summary>
internal sealed class ShutdownSignals(IHostApplicationLifetime lifetime, TimeSpan unreadyDelay) : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signalled;

    /// <summary>Set once the server is built; told first when a signal comes.</summary>
    public ExecutionHost? Host { get; set; }

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // the host decides when to exit: after the drain
        if (Interlocked.Exchange(ref _signalled, 1) == 1 || unreadyDelay <= TimeSpan.Zero)
        {
            Host?.MarkUnready();
            lifetime.StopApplication();
            return;
        }
        Host?.MarkUnready();
        _ = Task.Delay(unreadyDelay).ContinueWith(_ => lifetime.StopApplication(), TaskScheduler.Default);
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
    }
}
