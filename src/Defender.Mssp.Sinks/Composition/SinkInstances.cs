namespace Defender.Mssp.Sinks;

/// <summary>
/// The live sink instances, one per <see cref="SinkDefinition.Fingerprint"/>, shared by every tenant whose set holds
/// that definition. An instance nobody used for <c>idleLifetime</c> is disposed, once no delivery holds it — this is
/// how a changed definition's old instance (its connection, its HTTP client) goes away.
/// </summary>
internal sealed class SinkInstances(ISinkFactory factory, TimeProvider timeProvider, TimeSpan idleLifetime) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    /// <summary>The definition's instance, held until the lease is disposed.</summary>
    /// <exception cref="ArgumentException">The factory refused the definition; nothing is cached, the next call tries again.</exception>
    public Lease Acquire(SinkDefinition definition)
    {
        List<Entry> retired;
        Entry? entry;
        lock (_gate)
        {
            retired = SweepIdle();
            if (_entries.TryGetValue(definition.Fingerprint, out entry))
            {
                entry.Leases++;
                entry.LastUsed = timeProvider.GetUtcNow();
            }
        }

        DisposeAll(retired);
        if (entry is not null)
        {
            return new Lease(this, entry);
        }

        // Outside the lock: creating a sink reads files (trust anchors). Two racing creators keep the first.
        var created = new Entry(factory.Create(definition)) { Leases = 1, LastUsed = timeProvider.GetUtcNow() };
        lock (_gate)
        {
            if (_entries.TryGetValue(definition.Fingerprint, out entry))
            {
                entry.Leases++;
            }
            else
            {
                _entries[definition.Fingerprint] = created;
                return new Lease(this, created);
            }
        }

        (created.Sink as IDisposable)?.Dispose();
        return new Lease(this, entry);
    }

    public void Dispose()
    {
        List<Entry> all;
        lock (_gate)
        {
            all = [.. _entries.Values];
            _entries.Clear();
        }

        DisposeAll(all);
    }

    private void Release(Entry entry)
    {
        lock (_gate)
        {
            entry.Leases--;
            entry.LastUsed = timeProvider.GetUtcNow();
        }
    }

    /// <summary>Under the gate: removes instances idle past their lifetime and not leased; the caller disposes them.</summary>
    private List<Entry> SweepIdle()
    {
        var now = timeProvider.GetUtcNow();
        if (now < _nextSweep)
        {
            return [];
        }

        _nextSweep = now + idleLifetime / 4;
        var idle = _entries.Where(pair => pair.Value.Leases == 0 && now - pair.Value.LastUsed >= idleLifetime).ToList();
        foreach (var (key, _) in idle)
        {
            _entries.Remove(key);
        }

        return idle.Select(pair => pair.Value).ToList();
    }

    private static void DisposeAll(List<Entry> entries)
    {
        foreach (var entry in entries)
        {
            (entry.Sink as IDisposable)?.Dispose();
        }
    }

    internal sealed class Entry(IRecordSink sink)
    {
        public IRecordSink Sink { get; } = sink;

        public int Leases { get; set; }

        public DateTimeOffset LastUsed { get; set; }
    }

    /// <summary>A hold on an instance for one delivery.</summary>
    internal readonly struct Lease(SinkInstances owner, Entry entry) : IDisposable
    {
        public IRecordSink Sink => entry.Sink;

        public void Dispose() => owner.Release(entry);
    }
}
