using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Runtime.Tenants;

/// <summary>
/// A tenant's desired state as the management API writes it (<c>tenants/{tenantId}.json</c>) and the silos converge
/// on: who the tenant is, how to get its tokens (secret sealed), what to poll and how often, and the operator's
/// commands (pause, poll now). Immutable; change it with <c>with</c> and store it under the ETag it was read at.
/// </summary>
public sealed record TenantDocument
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>The document format; readers refuse versions newer than they know.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>The customer's Entra ID tenant id, canonical GUID form (<see cref="TenantIds.Normalize"/>).</summary>
    public required string TenantId { get; init; }

    public string DisplayName { get; init; } = "";

    /// <summary>The application (client) id, canonical GUID form.</summary>
    public required string ClientId { get; init; }

    /// <summary>The application's credential (a client secret or a certificate), sealed; null only for a tenant whose credential was never set.</summary>
    public SealedCredential? Credential { get; init; }

    public DefenderCloud Cloud { get; init; } = DefenderCloud.Commercial;

    /// <summary>SIEM API region: <c>eu</c>, <c>us</c> or <c>uk</c>.</summary>
    public string SiemRegion { get; init; } = TenantSettings.DefaultSiemRegion;

    /// <summary>The XDR API's regional host (<c>us</c>, <c>eu</c>, <c>uk</c>, <c>au</c>), or null for the global one.</summary>
    public string? XdrRegion { get; init; }

    /// <summary>Source names from <see cref="DefenderSources"/>.</summary>
    public IReadOnlyList<string> Sources { get; init; } = DefenderSources.Default;

    public TimeSpan PollInterval { get; init; } = TenantSettings.DefaultPollInterval;

    /// <summary>How far back the first poll of a source looks.</summary>
    public TimeSpan InitialLookback { get; init; } = TenantSettings.DefaultInitialLookback;

    /// <summary>SIEM API <c>machinegroups</c> filter; empty means all.</summary>
    public IReadOnlyList<string> MachineGroups { get; init; } = [];

    public bool Paused { get; init; }

    /// <summary>The latest "poll now" command; the owning grain polls once for each new <see cref="PollRequest.Sequence"/>.</summary>
    public PollRequest? PollRequest { get; init; }

    /// <summary>Incremented by every change, from 1 at creation.</summary>
    public long Version { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Who made the last change (an API key's name or a token's subject), for the audit trail.</summary>
    public string? UpdatedBy { get; init; }
}
