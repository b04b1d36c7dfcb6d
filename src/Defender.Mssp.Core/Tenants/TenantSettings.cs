using Defender.Mssp.Sources;

namespace Defender.Mssp.Tenants;

/// <summary>
/// Everything the grain and the API clients need to know about one customer tenant: who it is, how to get a token
/// for it, which sources to read and how often.
/// </summary>
public sealed record TenantSettings
{
    public const string DefaultSiemRegion = "us";

    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan DefaultInitialLookback = TimeSpan.FromHours(24);

    /// <summary>The customer's Entra ID tenant id (a GUID).</summary>
    public required string TenantId { get; init; }

    public string DisplayName { get; init; } = "";

    /// <summary>The application (client) id; one multi-tenant app may serve many tenants.</summary>
    public required string ClientId { get; init; }

    /// <summary>The client secret; never logged or serialised in clear.</summary>
    public Secret? ClientSecret { get; init; }

    /// <summary>
    /// An X.509 certificate with private key, the alternative to <see cref="ClientSecret"/>; never logged or serialised
    /// in clear. Normally exactly one of the two is set. When both are, the certificate is used: it is the stronger
    /// credential, and a tenant moving from secret to certificate keeps working while the old secret is still stored.
    /// </summary>
    public TenantCertificate? ClientCertificate { get; init; }

    public DefenderCloud Cloud { get; init; } = DefenderCloud.Commercial;

    /// <summary>SIEM API region: <c>eu</c>, <c>us</c> or <c>uk</c>.</summary>
    public string SiemRegion { get; init; } = DefaultSiemRegion;

    /// <summary>
    /// The Microsoft 365 Defender (XDR) API's regional host to use (<c>us</c>, <c>eu</c>, <c>uk</c>, <c>au</c>: e.g.
    /// <c>eu.api.security.microsoft.com</c>), or null for the cloud's global host. Where the data lives is the
    /// customer's choice; the global host routes there too, the regional one skips a hop.
    /// </summary>
    public string? XdrRegion { get; init; }

    /// <summary>Source names from <see cref="DefenderSources"/>.</summary>
    public IReadOnlyList<string> Sources { get; init; } = DefenderSources.Default;

    public TimeSpan PollInterval { get; init; } = DefaultPollInterval;

    /// <summary>How far back the first poll of a source looks.</summary>
    public TimeSpan InitialLookback { get; init; } = DefaultInitialLookback;

    /// <summary>SIEM API <c>machinegroups</c> filter; empty means all machine groups.</summary>
    public IReadOnlyList<string> MachineGroups { get; init; } = [];

    public bool Paused { get; init; }

    /// <summary>The tenant's own sinks, added to or replacing the default ones; null for the defaults.</summary>
    public TenantSinks? Sinks { get; init; }
}
