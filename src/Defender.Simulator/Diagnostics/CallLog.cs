namespace Defender.Simulator.Diagnostics;

/// <summary>One API call as the simulator saw it.</summary>
/// <param name="Time">When the call arrived (simulator clock).</param>
/// <param name="Source"><c>incidents</c> or <c>siem</c>.</param>
/// <param name="Host">The Host header, to show which regional host the product mapped here.</param>
/// <param name="SiloId">The <c>X-Mssp-Silo-Id</c> header, if the caller sent one.</param>
/// <param name="ClientId">The app id of the token used, when the token was valid.</param>
/// <param name="Audience">The audience (resource) of the token used, when the token was valid.</param>
public sealed record CallLogEntry(
    DateTimeOffset Time,
    string Method,
    string Path,
    string Query,
    string Source,
    int Status,
    string? Host,
    string? SiloId,
    string? ClientId,
    string? Audience = null);

/// <summary>A bounded, thread-safe log of a tenant's most recent API calls; the oldest entries drop off.</summary>
internal sealed class CallLog(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Queue<CallLogEntry> _entries = new();
    private long _total;

    /// <summary>All calls ever recorded, including those no longer kept.</summary>
    public long Total
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    public void Add(CallLogEntry entry)
    {
        lock (_gate)
        {
            _total++;
            if (_entries.Count == capacity)
            {
                _entries.Dequeue();
            }

            _entries.Enqueue(entry);
        }
    }

    public CallLogEntry[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _entries];
        }
    }
}
