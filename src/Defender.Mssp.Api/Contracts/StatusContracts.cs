namespace Defender.Mssp.Api.Contracts;

/// <summary>
/// How a tenant is doing (<c>GET /tenants/{tenantId}/status</c>), from its grain's state as last saved by the owning
/// silo, joined with its desired state and the cluster's leases. Errors are as the grain recorded them, which never
/// carry a secret; the API scrubs the tenant's secret from them once more all the same.
/// </summary>
public sealed record TenantStatusResponse(
    string TenantId,
    string DisplayName,
    string Health,
    bool Paused,
    string? OwnerSiloId,
    bool? OwnerSiloLive,
    bool Leased,
    DateTimeOffset? LastPollStartedAt,
    DateTimeOffset? LastPollCompletedAt,
    string? LastOutcome,
    long RecordsDelivered,
    DateTimeOffset? TokenExpiresOn,
    ErrorSummary? LastError,
    DateTimeOffset? NextPollNotBefore,
    PollRequestSummary? PollRequest,
    IReadOnlyList<SourceStatus> Sources,
    CertificateStatus? Certificate = null);

/// <summary>
/// The tenant's client certificate, when it authenticates with one: which, when it expires, how long that is away, and
/// whether that is within the warning window (<c>Api:Status:CertificateExpiryWarning</c>, 30 days by default).
/// </summary>
public sealed record CertificateStatus(string Thumbprint, DateTimeOffset NotAfter, TimeSpan ExpiresIn, bool ExpiresSoon, bool Expired);

/// <summary>One source of a tenant: how far it is delivered and how it is doing.</summary>
/// <param name="Lag">How far the watermark is behind now; null before the first completed window.</param>
public sealed record SourceStatus(
    string Source,
    bool Configured,
    string Health,
    DateTimeOffset? Watermark,
    TimeSpan? Lag,
    long RecordsDelivered,
    DateTimeOffset? LastSuccessAt,
    int ConsecutiveFailures,
    DateTimeOffset? RetryNotBefore,
    ErrorSummary? LastError);

/// <summary>An error as an operator sees it.</summary>
public sealed record ErrorSummary(string Code, string Message, string? Source, DateTimeOffset At);

/// <summary>The cluster (<c>GET /cluster</c>): the silos in the membership table and how tenants are spread.</summary>
public sealed record ClusterResponse(IReadOnlyList<SiloResponse> Silos, int LiveSilos, int Tenants, int OwnedTenants, int UnownedTenants);

/// <summary>One silo as its heartbeat says; <see cref="Tenants"/> only when asked for (<c>?includeTenants=true</c>).</summary>
public sealed record SiloResponse(
    string SiloId,
    bool Live,
    string? Endpoint,
    DateTimeOffset StartedAt,
    DateTimeOffset LastHeartbeat,
    int OwnedTenants,
    string? Version,
    IReadOnlyList<string>? Tenants);
