namespace Defender.Mssp.Api.Contracts;

/// <summary>A tenant's desired state as stored. Never carries a secret (its credential's or its sinks'), only that one is set.</summary>
public sealed record TenantResponse(
    string TenantId,
    string DisplayName,
    string ClientId,
    string Cloud,
    string SiemRegion,
    IReadOnlyList<string> Sources,
    TimeSpan PollInterval,
    TimeSpan InitialLookback,
    IReadOnlyList<string> MachineGroups,
    bool Paused,
    CredentialSummary? Credential,
    PollRequestSummary? PollRequest,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? UpdatedBy,
    string? XdrRegion = null,
    TenantSinksResponse? Sinks = null);

/// <summary>
/// That a credential is set, of what kind (<c>ClientSecret</c> or <c>ClientCertificate</c>) and since when, and for a
/// certificate its thumbprint and expiry — nothing that could help recover it.
/// </summary>
public sealed record CredentialSummary(string Kind, DateTimeOffset UpdatedAt, string? Thumbprint = null, DateTimeOffset? NotAfter = null);

/// <summary>The latest "poll now" command.</summary>
public sealed record PollRequestSummary(long Sequence, DateTimeOffset RequestedAt);

/// <summary>One page of <c>GET /tenants</c>; pass <see cref="ContinuationToken"/> back for the next.</summary>
public sealed record TenantPage(IReadOnlyList<TenantResponse> Items, string? ContinuationToken);

/// <summary>The answer to <c>POST /tenants/{tenantId}/poll</c>: the command was recorded for the owning silo.</summary>
public sealed record PollAccepted(string TenantId, long Sequence, DateTimeOffset RequestedAt);

/// <summary>What <c>DELETE /tenants/{tenantId}?purge=true</c> removed.</summary>
public sealed record TenantDeleted(string TenantId, bool DocumentDeleted, bool Purged, bool StateDeleted, bool DeliveredDataDeleted, bool LeaseBroken);
