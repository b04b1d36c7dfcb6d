using System.Text.Json.Serialization;
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
    /// <summary>The newest format this build reads and writes: 2 added <see cref="Sinks"/>.</summary>
    public const int CurrentSchemaVersion = 2;

    /// <summary>The format of documents without <see cref="Sinks"/>, which builds before sinks read as well.</summary>
    public const int BaseSchemaVersion = 1;

    /// <summary>
    /// The document format; readers refuse versions newer than they know. The store writes the lowest version that
    /// holds the document (<see cref="RequiredSchemaVersion"/>), so a silo that predates tenant sinks leaves a tenant with
    /// its own sinks alone rather than delivering its records to the default sinks.
    /// </summary>
    public int SchemaVersion { get; init; } = BaseSchemaVersion;

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

    /// <summary>The tenant's own sinks (secrets sealed), added to or replacing the default ones; null for the defaults.</summary>
    public StoredSinks? Sinks { get; init; }

    /// <summary>The schema version a reader needs to understand everything in this document.</summary>
    [JsonIgnore]
    public int RequiredSchemaVersion => Sinks is null ? BaseSchemaVersion : CurrentSchemaVersion;

    /// <summary>The latest "poll now" command; the owning grain polls once for each new <see cref="PollRequest.Sequence"/>.</summary>
    public PollRequest? PollRequest { get; init; }

    /// <summary>Incremented by every change, from 1 at creation.</summary>
    public long Version { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Who made the last change (an API key's name or a token's subject), for the audit trail.</summary>
    public string? UpdatedBy { get; init; }
}
