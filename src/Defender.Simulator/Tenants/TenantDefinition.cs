using System.ComponentModel.DataAnnotations;
using Defender.Simulator.Faults;

namespace Defender.Simulator.Tenants;

/// <summary>
/// One simulated customer tenant: its app registrations, record generator, injected faults and token lifetime.
/// The admin API and configuration (<c>Simulator:Tenants:N</c>) both use this shape.
/// </summary>
public sealed class TenantDefinition
{
    /// <summary>Entra ID's default access token lifetime as the token endpoint reports it.</summary>
    public static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(3599);

    /// <summary>The tenant (directory) id.</summary>
    public Guid TenantId { get; set; }

    /// <summary>A name for people; also used to derive the tenant's fake domain.</summary>
    public string? DisplayName { get; set; }

    /// <summary>Applications (service principals) present in this tenant.</summary>
    public List<AppRegistration> Apps { get; set; } = [];

    /// <summary>How this tenant's incidents and SIEM alerts are generated.</summary>
    public GeneratorSettings Generator { get; set; } = new();

    /// <summary>Faults to inject, first match wins.</summary>
    public List<FaultRule> Faults { get; set; } = [];

    /// <summary>Lifetime of the access tokens issued for this tenant.</summary>
    public TimeSpan TokenLifetime { get; set; } = DefaultTokenLifetime;

    /// <summary>
    /// This tenant's own per-app API rate limits, replacing <c>Simulator:Throttling</c> (which applies otherwise) for
    /// the APIs it covers.
    /// </summary>
    public ThrottlingSettings? Throttling { get; set; }

    /// <summary>
    /// The cloud the tenant lives in (a key of <c>Simulator:Clouds</c>: Commercial, Gcc, GccHigh, DoD); it signs in only
    /// at that cloud's login hosts (AADSTS90002 elsewhere). Null: any.
    /// </summary>
    public string? Cloud { get; set; }

    /// <summary>
    /// The APIs this tenant serves, by name: <c>incidents</c>, <c>siem</c>, <c>alerts</c>, <c>graph-alerts</c>,
    /// <c>graph-incidents</c>. Empty: all of them. Any other API answers 403, as for a tenant without the license or
    /// permission, and its ground truth is empty. The generator makes the same records either way.
    /// </summary>
    public List<string> Sources { get; set; } = [];
}

/// <summary>An application registered (and present as a service principal) in a tenant.</summary>
public sealed class AppRegistration
{
    /// <summary>The application (client) id.</summary>
    [Required]
    public string ClientId { get; set; } = "";

    /// <summary>Name shown in error messages, as Entra ID does.</summary>
    public string? DisplayName { get; set; }

    /// <summary>The client secrets that authenticate this app.</summary>
    public List<ClientSecretDefinition> Secrets { get; set; } = [];

    /// <summary>The certificates (public part) whose private keys authenticate this app through client assertions.</summary>
    public List<ClientCertificateDefinition> Certificates { get; set; } = [];

    /// <summary>Whether an administrator granted consent; without it token requests fail with AADSTS65001.</summary>
    public bool ConsentGranted { get; set; } = true;
}

/// <summary>A client secret (password credential) of an app.</summary>
public sealed class ClientSecretDefinition
{
    /// <summary>Identifies the secret for revocation; assigned when absent.</summary>
    public Guid? KeyId { get; set; }

    /// <summary>The secret value. Never returned by the admin API, only its first three characters.</summary>
    [Required]
    public string Value { get; set; } = "";

    /// <summary>When the secret stops working (AADSTS7000222 after that); never when absent.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
}

/// <summary>
/// A tenant's own per-app API call limits; a limit left empty is not enforced. The incidents and SIEM fields cover
/// those two APIs; <see cref="Apis"/> covers any API by name and wins over them. APIs covered by neither follow
/// <c>Simulator:Throttling</c>.
/// </summary>
public sealed class ThrottlingSettings
{
    /// <summary>The Microsoft 365 Defender incidents API allows 50 calls a minute per app per tenant.</summary>
    public const int DocumentedIncidentsPerMinute = 50;

    /// <summary>The Microsoft 365 Defender incidents API allows 1,500 calls an hour per app per tenant.</summary>
    public const int DocumentedIncidentsPerHour = 1500;

    /// <summary>Calls per clock minute to <c>/api/incidents</c>.</summary>
    public int? IncidentsPerMinute { get; set; } = DocumentedIncidentsPerMinute;

    /// <summary>Calls per clock hour to <c>/api/incidents</c>.</summary>
    public int? IncidentsPerHour { get; set; } = DocumentedIncidentsPerHour;

    /// <summary>Calls per clock minute to the SIEM API (undocumented; none by default).</summary>
    public int? SiemPerMinute { get; set; }

    /// <summary>Calls per clock hour to the SIEM API (undocumented; none by default).</summary>
    public int? SiemPerHour { get; set; }

    /// <summary>Limits by API name (<c>incidents</c>, <c>siem</c>, <c>alerts</c>, <c>graph-alerts</c>, <c>graph-incidents</c>).</summary>
    public Dictionary<string, ApiRateLimitOptions>? Apis { get; set; }
}
