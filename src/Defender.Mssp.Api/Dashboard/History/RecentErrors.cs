namespace Defender.Mssp.Api.Dashboard.History;

/// <summary>
/// The last few distinct errors of one tenant, newest first. An error that repeats the newest one (same code and
/// source) is counted on it rather than kept again, so a tenant failing every poll for an hour takes one entry.
/// Not thread-safe: <see cref="FleetHistory"/> locks.
/// </summary>
public sealed class RecentErrors(int capacity)
{
    private readonly LinkedList<ObservedError> _errors = new();

    public IReadOnlyList<ObservedError> Newest => _errors.ToList();

    public void Add(string code, string? source, DateTimeOffset at)
    {
        if (_errors.First?.Value is { } newest && newest.Code == code && newest.Source == source)
        {
            _errors.First.Value = newest with
            {
                LastSeenAt = at > newest.LastSeenAt ? at : newest.LastSeenAt,
                Occurrences = newest.Occurrences + 1,
            };
            return;
        }

        _errors.AddFirst(new ObservedError(code, source, at, at, 1));
        while (_errors.Count > capacity)
        {
            _errors.RemoveLast();
        }
    }
}

/// <summary>
/// An error a tenant's grain recorded, as the dashboard observed it: its stable code and source, when it was first and
/// last seen and how often in between. The message is not kept; the status endpoint serves the latest one scrubbed.
/// </summary>
public sealed record ObservedError(string Code, string? Source, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, int Occurrences);
