namespace Defender.Mssp.Grains.State;

/// <summary>
/// The tenant grain's persisted state (<c>state/{tenantId}.json</c>), serialised with <c>GrainStateJson.Options</c>.
/// Written only by the tenant's owner; the management API reads it for status.
/// </summary>
public sealed class TenantGrainState
{
    /// <summary>Checkpoints by source name. Sources removed from the tenant's settings keep theirs, to resume if re-added.</summary>
    public Dictionary<string, SourceCheckpoint> Sources { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The worst health of the tenant's configured sources, or <see cref="TenantHealth.Paused"/>.</summary>
    public TenantHealth Health { get; set; } = TenantHealth.Unknown;

    public DateTimeOffset? LastPollStartedAt { get; set; }

    public DateTimeOffset? LastPollCompletedAt { get; set; }

    public PollOutcome? LastOutcome { get; set; }

    /// <summary>The most recent error of any source (kept after recovery, with its time, for the operator).</summary>
    public TenantError? LastError { get; set; }

    /// <summary>The earliest expiry of the tokens the sources hold for the tenant, as last seen.</summary>
    public DateTimeOffset? TokenExpiresOn { get; set; }

    /// <summary>The silo that activated the grain last.</summary>
    public string? OwnerSiloId { get; set; }

    /// <summary>Consecutive turns in which at least one source failed.</summary>
    public int ConsecutiveFailures { get; set; }

    /// <summary>Set when every source is backing off: the grain polls nothing before this time.</summary>
    public DateTimeOffset? NextPollNotBefore { get; set; }
}
