namespace Defender.Mssp.Runtime.Tenants;

/// <summary>
/// An operator's "poll now" command, kept in the tenant document. Commands are counted rather than flagged so that a
/// silo need not clear anything: it polls once whenever <see cref="Sequence"/> grows past the last one it saw.
/// </summary>
public sealed record PollRequest
{
    /// <summary>1 for the first request, then one more per request.</summary>
    public long Sequence { get; init; }

    public DateTimeOffset RequestedAt { get; init; }
}
