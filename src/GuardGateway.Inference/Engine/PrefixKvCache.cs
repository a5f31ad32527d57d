namespace GuardGateway.Inference.Engine;

/// <summary>
/// KV states of prompt prefixes (everything before the conversation), least recently used evicted. Keyed by
/// the prefix ids themselves, so a hit is verified token by token. Used by the single worker thread only.
/// Evicted states are disposed at <see cref="ReleaseEvicted"/>, after the batch that may still use them.
/// </summary>
internal sealed class PrefixKvCache(int capacity) : IDisposable
{
    private readonly Dictionary<PrefixKey, LinkedListNode<(PrefixKey Key, KvState State)>> _entries = [];
    private readonly LinkedList<(PrefixKey Key, KvState State)> _lru = new();
    private readonly List<KvState> _evicted = [];

    public int Count => _entries.Count;

    /// <summary>The cached state of <paramref name="prefix"/>, computing and caching it on a miss.</summary>
    public KvState GetOrCreate(ReadOnlyMemory<int> prefix, Func<ReadOnlyMemory<int>, KvState> compute, out bool hit)
    {
        var key = new PrefixKey(prefix.ToArray());
        if (_entries.TryGetValue(key, out var node))
        {
            _lru.Remove(node);
            _lru.AddFirst(node);
            hit = true;
            return node.Value.State;
        }

        hit = false;
        var state = compute(prefix);
        _entries[key] = _lru.AddFirst((key, state));
        while (_entries.Count > capacity)
        {
            var last = _lru.Last!;
            _lru.RemoveLast();
            _entries.Remove(last.Value.Key);
            _evicted.Add(last.Value.State);
        }

        return state;
    }

    public void ReleaseEvicted()
    {
        foreach (var state in _evicted)
        {
            state.Dispose();
        }

        _evicted.Clear();
    }

    public void Dispose()
    {
        ReleaseEvicted();
        foreach (var entry in _lru)
        {
            entry.State.Dispose();
        }

        _lru.Clear();
        _entries.Clear();
    }

    private sealed class PrefixKey : IEquatable<PrefixKey>
    {
        private readonly int[] _ids;
        private readonly int _hash;

        public PrefixKey(int[] ids)
        {
            _ids = ids;
            var hash = new HashCode();
            foreach (var id in ids)
            {
                hash.Add(id);
            }

            _hash = hash.ToHashCode();
        }

        public bool Equals(PrefixKey? other) => other is not null && _ids.AsSpan().SequenceEqual(other._ids);

        public override bool Equals(object? obj) => Equals(obj as PrefixKey);

        public override int GetHashCode() => _hash;
    }
}
