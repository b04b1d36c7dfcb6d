using System.ComponentModel.DataAnnotations;
using Defender.Simulator.Tenants;

namespace Defender.Simulator.Hosting;

/// <summary>
/// Configuration of the simulator (section <c>Simulator</c>): its certificate, token signing, the audiences each API
/// accepts, and the tenants that exist from the start.
/// </summary>
public sealed class SimulatorOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Simulator";

    /// <summary>Default number of API calls remembered per tenant.</summary>
    public const int DefaultCallLogCapacity = 500;

    /// <summary>Path of a PFX (no password) to serve; when absent a self-signed certificate is generated.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Where to write the public PEM of the served certificate, so callers can trust it.</summary>
    public string? CertificateExportPath { get; set; }

    /// <summary>How many API calls each tenant's call log keeps (oldest dropped first).</summary>
    [Range(1, 1_000_000)]
    public int CallLogCapacity { get; set; } = DefaultCallLogCapacity;

    /// <summary>Access token signing and validation.</summary>
    public TokenOptions Tokens { get; set; } = new();

    /// <summary>The audiences each API accepts.</summary>
    public ApiAudienceOptions Apis { get; set; } = new();

    /// <summary>The documented API rate limits, enforced for every tenant (<c>Simulator:Throttling</c>).</summary>
    public ThrottlingOptions Throttling { get; set; } = new();

    /// <summary>Tenants created at start-up (<c>Simulator:Tenants:N:...</c>).</summary>
    public List<TenantDefinition> Tenants { get; set; } = [];

    /// <summary>The clouds by name (<c>Simulator:Clouds:GccHigh:Hosts:N</c>), which hosts belong to each and which resources it serves.</summary>
    public Dictionary<string, SimulatedCloudOptions> Clouds { get; set; } = SimulatedCloudDefaults.All();

    internal void CopyTo(SimulatorOptions target)
    {
        target.CertificatePath = CertificatePath;
        target.CertificateExportPath = CertificateExportPath;
        target.CallLogCapacity = CallLogCapacity;
        target.Tokens = Tokens;
        target.Apis = Apis;
        target.Throttling = Throttling;
        target.Tenants = [.. Tenants];
        target.Clouds = new(Clouds, StringComparer.OrdinalIgnoreCase);
    }
}

/// <summary>How the simulator signs and validates the access tokens it issues.</summary>
public sealed class TokenOptions
{
    /// <summary>
    /// Default tolerance for clock differences when validating <c>exp</c>/<c>nbf</c>; Microsoft's token validators
    /// allow five minutes, so a token stays usable that long past its expiry on the real APIs too.
    /// </summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Base64 HS256 key (at least 32 bytes). When absent a random key is made at start, so tokens do not survive a
    /// restart; set it to keep tokens valid across restarts.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Clock skew allowed when validating token lifetimes.</summary>
    public TimeSpan ClockSkew { get; set; } = DefaultClockSkew;

    /// <summary>
    /// Resources (application ID URIs) the token endpoint knows; a request for any other gets AADSTS500011.
    /// </summary>
    public List<string> KnownResources { get; set; } = [.. KnownResourceDefaults.All];
}

/// <summary>The token audiences each simulated API accepts.</summary>
public sealed class ApiAudienceOptions
{
    /// <summary>Audiences accepted by <c>/api/incidents</c> (Microsoft 365 Defender).</summary>
    public List<string> IncidentsAudiences { get; set; } = [.. KnownResourceDefaults.Incidents];

    /// <summary>Audiences accepted by the SIEM API <c>/api/alerts</c>.</summary>
    public List<string> SiemAudiences { get; set; } = [.. KnownResourceDefaults.Siem];

    /// <summary>Audiences accepted by the Defender for Endpoint alerts API <c>/api/alerts</c>.</summary>
    public List<string> AlertsAudiences { get; set; } = [.. KnownResourceDefaults.Endpoint];

    /// <summary>Audiences accepted by the Graph security APIs (<c>/v1.0/security/alerts_v2</c>, <c>/v1.0/security/incidents</c>).</summary>
    public List<string> GraphAudiences { get; set; } = [.. KnownResourceDefaults.Graph];
}

/// <summary>The public resource identifiers of the Defender APIs in each cloud.</summary>
public static class KnownResourceDefaults
{
    /// <summary>Microsoft 365 Defender (XDR) API resources: commercial, GCC, GCC High/DoD.</summary>
    public static IReadOnlyList<string> Incidents { get; } =
    [
        "https://api.security.microsoft.com",
        "https://api-gcc.security.microsoft.us",
        "https://api-gov.security.microsoft.us",
    ];

    /// <summary>
    /// Resources accepted by the SIEM API: seed 003 asks for <c>https://graph.windows.net</c>; the Defender for
    /// Endpoint API resource works as well.
    /// </summary>
    public static IReadOnlyList<string> Siem { get; } =
    [
        "https://graph.windows.net",
        "https://api.securitycenter.microsoft.com",
        "https://api-gcc.securitycenter.microsoft.us",
        "https://api-gov.securitycenter.microsoft.us",
    ];

    /// <summary>Defender for Endpoint API resources: commercial, GCC, GCC High/DoD.</summary>
    public static IReadOnlyList<string> Endpoint { get; } =
    [
        "https://api.securitycenter.microsoft.com",
        "https://api-gcc.securitycenter.microsoft.us",
        "https://api-gov.securitycenter.microsoft.us",
    ];

    /// <summary>Microsoft Graph in each cloud: the resource of the Graph security APIs.</summary>
    public static IReadOnlyList<string> Graph { get; } =
    [
        "https://graph.microsoft.com",
        "https://graph.microsoft.us",
        "https://dod-graph.microsoft.us",
    ];

    /// <summary>Every resource the token endpoint knows by default.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Incidents, .. Siem, .. Graph];
}
