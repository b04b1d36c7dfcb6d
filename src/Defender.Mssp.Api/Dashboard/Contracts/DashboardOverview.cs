namespace Defender.Mssp.Api.Dashboard.Contracts;

/// <summary>
/// The fleet at a glance (<c>GET /dashboard/overview</c>): the silos and every tenant with its health, from one
/// snapshot shared by all viewers. <see cref="ServerTime"/> lets the page show ages by the server's clock, not the
/// browser's.
/// </summary>
/// <param name="ObservedAt">When storage was read.</param>
/// <param name="Stale">Storage could not be read just now; this is the last snapshot that could.</param>
public sealed record DashboardOverview(
    DateTimeOffset ServerTime,
    DateTimeOffset ObservedAt,
    bool Stale,
    IReadOnlyList<DashboardSilo> Silos,
    IReadOnlyList<DashboardTenant> Tenants);

/// <summary>A silo as its heartbeat says, with the tenants whose leases it holds.</summary>
public sealed record DashboardSilo(
    string SiloId,
    bool Live,
    string? Endpoint,
    DateTimeOffset StartedAt,
    DateTimeOffset LastHeartbeat,
    string? Version,
    IReadOnlyList<string> Tenants);

/// <summary>
/// One tenant's row. <see cref="Paused"/> is what the operator asked for and <see cref="Health"/> what the owning grain
/// last recorded, so a tenant whose pause has not reached its grain yet shows both. <see cref="Managed"/> is false for a
/// tenant a silo runs from its own configuration, which the API cannot change.
/// </summary>
/// <param name="Lag">How far the furthest-behind configured source's watermark trails the snapshot's time.</param>
public sealed record DashboardTenant(
    string TenantId,
    string? DisplayName,
    bool Managed,
    bool Paused,
    string Health,
    string? OwnerSiloId,
    bool? OwnerSiloLive,
    bool Leased,
    DateTimeOffset? LastPollStartedAt,
    DateTimeOffset? LastPollCompletedAt,
    string? LastOutcome,
    long RecordsDelivered,
    TimeSpan? Lag,
    DateTimeOffset? TokenExpiresOn,
    int ConsecutiveFailures,
    DateTimeOffset? NextPollNotBefore,
    DashboardError? LastError,
    TimeSpan? PollInterval,
    IReadOnlyList<string> Sources);

/// <summary>A tenant's last error without its message (which <c>GET /tenants/{tenantId}/status</c> serves, scrubbed).</summary>
public sealed record DashboardError(string Code, string? Source, DateTimeOffset At);
