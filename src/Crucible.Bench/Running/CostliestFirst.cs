using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Crucible.Bench;

/// <summary>
/// Work handed out costliest first as workers ask for it, while more may still arrive: a submission of a problem
/// whose expected outputs come in late still goes ahead of the cheap ones queued before it, so the run does not end
/// with a few long submissions running alone.
/// </summary>
internal sealed class CostliestFirst<T>
{
    private readonly PriorityQueue<T, double> _queue = new(Comparer<double>.Create((a, b) => b.CompareTo(a)));
    private readonly SemaphoreSlim _available = new(0);
    private readonly Lock _lock = new();
    private bool _completed;
    private Exception? _failure;

    public void Add(T item, double cost)
    {
        lock (_lock)
        {
            if (_completed) throw new InvalidOperationException("no work can be added after Complete");
            _queue.Enqueue(item, cost);
        }
        _available.Release();
    }

    /// <summary>No more work will come; with <paramref name="failure"/>, readers stop with it once they ask again.</summary>
    public void Complete(Exception? failure = null)
    {
        lock (_lock)
        {
            if (_completed) return;
            _completed = true;
            _failure = failure;
        }
        _available.Release(); // wakes a reader; each reader that finds the end passes the wake-up on
    }

    public async IAsyncEnumerable<T> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            T item;
            lock (_lock)
            {
                if (!_queue.TryDequeue(out item!, out _))
                {
                    // Only the end can wake a reader with nothing queued.
                    _available.Release();
                    if (_failure is not null) ExceptionDispatchInfo.Throw(_failure);
                    yield break;
                }
            }
            yield return item;
        }
    }
}
