namespace Defender.Simulator.Diagnostics;

/// <summary>One token request as the simulator's token endpoint saw it; never the secret or assertion.</summary>
/// <param name="Host">The Host header (with port): which cloud's login host the client used.</param>
/// <param name="Endpoint"><c>v1</c> or <c>v2</c>.</param>
/// <param name="Credential"><c>secret</c>, <c>certificate</c> (a client assertion) or null when none was sent.</param>
/// <param name="Resource">The resource asked for (v1 <c>resource</c>, v2 scope without <c>/.default</c>), when it got that far.</param>
/// <param name="Error">The AADSTS code of a refusal (e.g. <c>AADSTS700027</c>); null when a token was issued.</param>
public sealed record TokenRequestLogEntry(
    DateTimeOffset Time,
    string? Host,
    string Endpoint,
    string? ClientId,
    string? Credential,
    string? Resource,
    int Status,
    string? Error);

/// <summary>A bounded, thread-safe log of a tenant's most recent token requests.</summary>
internal sealed class TokenRequestLog(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Queue<TokenRequestLogEntry> _entries = new();

    public void Add(TokenRequestLogEntry entry)
    {
        lock (_gate)
        {
            if (_entries.Count == capacity)
            {
                _entries.Dequeue();
            }

            _entries.Enqueue(entry);
        }
    }

    public TokenRequestLogEntry[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _entries];
        }
    }
}
