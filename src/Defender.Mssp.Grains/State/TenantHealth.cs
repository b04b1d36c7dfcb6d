namespace Defender.Mssp.Grains.State;

/// <summary>
/// How a tenant (or one of its sources) is doing, as an operator needs to read it: whether polling works, and if not,
/// whether it heals by itself (<see cref="Throttled"/>, <see cref="Faulted"/>) or someone has to act.
/// </summary>
public enum TenantHealth
{
    /// <summary>Not polled yet.</summary>
    Unknown,

    Healthy,

    /// <summary>The API answered 429; the grain waits at least as long as it was told to.</summary>
    Throttled,

    /// <summary>The token endpoint rejected the app's credentials (wrong or expired secret, app not in the tenant).</summary>
    AuthFailed,

    /// <summary>The tenant's admin has not consented to the app (AADSTS65001).</summary>
    ConsentMissing,

    /// <summary>The tenant does not exist in the cloud it is configured for (AADSTS90002).</summary>
    TenantNotFound,

    /// <summary>The API refused access (403), or the tenant's configuration names something unknown.</summary>
    NeedsOperator,

    /// <summary>A failure expected to heal by itself (timeouts, 5xx, storage or sink outage); retried with backoff.</summary>
    Faulted,

    /// <summary>Polling is switched off for the tenant.</summary>
    Paused,

    /// <summary>
    /// A sink of the tenant did not acknowledge a batch: the checkpoint stays before it and the grain retries with
    /// backoff (the Defender API keeps the records meanwhile). Heals when the sink recovers, unless its error says
    /// an operator must act (a refused request, an untrusted certificate).
    /// </summary>
    SinkFailing,
}
