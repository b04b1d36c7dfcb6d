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

    /// <summary>Optional enforcement of the documented per-app API rate limits; none by default.</summary>
    public ThrottlingSettings? Throttling { get; set; }
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

/// <summary>Documented per-app, per-tenant API call limits; a limit left empty is not enforced.</summary>
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
}
