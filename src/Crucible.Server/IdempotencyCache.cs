namespace Crucible.Server;

/// <summary>
/// Recent answers by <c>Idempotency-Key</c>, so a request a client retries (after a lost connection, a timeout, or
/// through a Service that routed it back to this replica) is answered with the first answer instead of being judged
/// again. A duplicate that arrives while the first is still running waits for it and gets the same answer. Only
/// complete answers are kept: an answer that reports an infrastructure failure or an interruption is forgotten once
/// its waiters have it, so the retry the client makes next really runs. Bounded in bytes; the oldest go first.
/// A key is bound to the body it first came with: the same key with another body is a client bug, refused.
/// </summary>
internal sealed class IdempotencyCache(long maxBytes)
{
    /// <summary>Longest key accepted; longer ones are refused (they would only cost memory).</summary>
    public const int MaxKeyLength = 200;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _completedOrder = new();
    private long _bytes;
    private long _replays;

    public long Replays => Interlocked.Read(ref _replays);

    public int Count
    {
        get { lock (_lock) return _entries.Count; }
    }

    public long Bytes
    {
        get { lock (_lock) return _bytes; }
    }

    /// <summary>True when a request with this key is running or answered: it is not refused for load before it is looked up.</summary>
    public bool Knows(string key)
    {
        lock (_lock) return _entries.ContainsKey(key);
    }

    /// <summary>
    /// Joins the request with <paramref name="key"/>: returns null when this caller owns it (it must run the work
    /// and call <see cref="Complete"/>), else the first request's answer (awaited when it is still running).
    /// Throws <see cref="ApiException"/> when the key came before with a different body.
    /// </summary>
    public Task<Answer>? Join(string key, byte[] bodyHash)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                if (!existing.BodyHash.AsSpan().SequenceEqual(bodyHash))
                    throw new ApiException(422, "idempotency_key_reused", "Idempotency-Key",
                        "this Idempotency-Key was already used with a different request body; use a new key for each distinct request.");
                Interlocked.Increment(ref _replays);
                return existing.Answer.Task;
            }
            _entries[key] = new Entry(bodyHash);
            return null;
        }
    }

    /// <summary>Records the owner's answer: waiters get it; it is kept for later retries when <paramref name="keep"/>.</summary>
    public void Complete(string key, Answer answer, bool keep)
    {
        Entry entry;
        lock (_lock)
        {
            entry = _entries[key];
            var size = answer.Body.Length + key.Length * 2L + 128;
            if (keep && maxBytes > 0 && size <= maxBytes)
            {
                entry.Size = size;
                entry.Node = _completedOrder.AddLast(key);
                _bytes += size;
                while (_bytes > maxBytes && _completedOrder.First is { } oldest) Forget(oldest.Value);
            }
            else _entries.Remove(key);
        }
        entry.Answer.TrySetResult(answer);
    }

    private void Forget(string key)
    {
        var entry = _entries[key];
        _entries.Remove(key);
        if (entry.Node is not null) _completedOrder.Remove(entry.Node);
        _bytes -= entry.Size;
    }

    private sealed class Entry(byte[] bodyHash)
    {
        public byte[] BodyHash { get; } = bodyHash;
        public TaskCompletionSource<Answer> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public LinkedListNode<string>? Node { get; set; }
        public long Size { get; set; }
    }
}
