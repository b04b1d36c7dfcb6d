namespace Defender.Mssp.Defender.Configuration;

/// <summary>
/// The hosts and token resources of one cloud. Every value is configuration (defaults in <see cref="DefenderHosts"/>)
/// so that tests, demos and benchmarks can point all of them at the simulator.
/// </summary>
public sealed class DefenderCloudEndpoints
{
    /// <summary>Entra ID host; MSAL requests tokens at <c>{AuthorityHost}/{tenantId}/oauth2/v2.0/token</c>.</summary>
    public Uri AuthorityHost { get; set; } = new(DefenderHosts.CommercialLogin);

    /// <summary>Microsoft 365 Defender (XDR) API base: <c>/api/incidents</c> lives under it.</summary>
    public Uri XdrApiBase { get; set; } = new(DefenderHosts.CommercialXdrApi);

    /// <summary>
    /// The XDR API's regional hosts by region (<c>us</c>, <c>eu</c>, <c>uk</c>, <c>au</c> in the commercial cloud; none
    /// elsewhere); a tenant's <c>XdrRegion</c> picks one instead of <see cref="XdrApiBase"/>. They serve the same API,
    /// and the same token audience (<see cref="IncidentsResource"/>) applies.
    /// </summary>
    public Dictionary<string, Uri> XdrRegionalBases { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Defender for Endpoint API base (<c>/api/alerts</c>, <c>/api/machines</c>).</summary>
    public Uri EndpointApiBase { get; set; } = new(DefenderHosts.CommercialEndpointApi);

    /// <summary>Microsoft Graph base (<c>/v1.0/security/...</c>).</summary>
    public Uri GraphBase { get; set; } = new(DefenderHosts.CommercialGraph);

    /// <summary>SIEM API hosts by region (<c>eu</c>, <c>us</c>, <c>uk</c>); a tenant's <c>SiemRegion</c> picks one.</summary>
    public Dictionary<string, Uri> SiemBases { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["eu"] = new(DefenderHosts.SiemEu),
        ["us"] = new(DefenderHosts.SiemUs),
        ["uk"] = new(DefenderHosts.SiemUk),
    };

    /// <summary>Token resource (audience) for the incidents API; the scope is <c>{resource}/.default</c>.</summary>
    public string IncidentsResource { get; set; } = DefenderHosts.CommercialXdrApi;

    /// <summary>Token resource for the SIEM API.</summary>
    public string SiemResource { get; set; } = DefenderHosts.CommercialSiemResource;

    /// <summary>Token resource for the Defender for Endpoint API.</summary>
    public string EndpointResource { get; set; } = DefenderHosts.CommercialEndpointApi;

    /// <summary>Token resource for Microsoft Graph.</summary>
    public string GraphResource { get; set; } = DefenderHosts.CommercialGraph;

    /// <summary>
    /// The XDR API base for a tenant's <paramref name="region"/>: <see cref="XdrApiBase"/> when it names none, its
    /// regional host otherwise, or null when this cloud has no host for that region.
    /// </summary>
    public Uri? XdrApiBaseFor(string? region) =>
        string.IsNullOrWhiteSpace(region) ? XdrApiBase : XdrRegionalBases.GetValueOrDefault(region.Trim());

    /// <summary>The SIEM host for <paramref name="region"/>, or null when none is configured for it.</summary>
    public Uri? SiemBaseFor(string region) => SiemBases.GetValueOrDefault(region);

    public static DefenderCloudEndpoints CommercialDefaults() => new()
    {
        XdrRegionalBases = new(StringComparer.OrdinalIgnoreCase)
        {
            ["us"] = new(DefenderHosts.XdrUs),
            ["eu"] = new(DefenderHosts.XdrEu),
            ["uk"] = new(DefenderHosts.XdrUk),
            ["au"] = new(DefenderHosts.XdrAu),
        },
    };

    public static DefenderCloudEndpoints GccDefaults() => new()
    {
        // No SIEM API host is documented for the US Government clouds: a government tenant's token must never go to
        // the commercial wdatp-alertexporter hosts, so its siem source fails with a message until one is configured.
        SiemBases = new(StringComparer.OrdinalIgnoreCase),
        XdrApiBase = new(DefenderHosts.GccXdrApi),
        EndpointApiBase = new(DefenderHosts.GccEndpointApi),
        IncidentsResource = DefenderHosts.GccXdrApi,
        SiemResource = DefenderHosts.GccSiemResource,
        EndpointResource = DefenderHosts.GccEndpointApi,
    };

    public static DefenderCloudEndpoints GccHighDefaults() => new()
    {
        // No SIEM API host is documented for the US Government clouds: a government tenant's token must never go to
        // the commercial wdatp-alertexporter hosts, so its siem source fails with a message until one is configured.
        SiemBases = new(StringComparer.OrdinalIgnoreCase),
        AuthorityHost = new(DefenderHosts.UsGovernmentLogin),
        XdrApiBase = new(DefenderHosts.GovXdrApi),
        EndpointApiBase = new(DefenderHosts.GovEndpointApi),
        GraphBase = new(DefenderHosts.GccHighGraph),
        IncidentsResource = DefenderHosts.GovXdrApi,
        SiemResource = DefenderHosts.GovSiemResource,
        EndpointResource = DefenderHosts.GovEndpointApi,
        GraphResource = DefenderHosts.GccHighGraph,
    };

    public static DefenderCloudEndpoints DoDDefaults() => new()
    {
        // No SIEM API host is documented for the US Government clouds: a government tenant's token must never go to
        // the commercial wdatp-alertexporter hosts, so its siem source fails with a message until one is configured.
        SiemBases = new(StringComparer.OrdinalIgnoreCase),
        AuthorityHost = new(DefenderHosts.UsGovernmentLogin),
        XdrApiBase = new(DefenderHosts.GovXdrApi),
        EndpointApiBase = new(DefenderHosts.GovEndpointApi),
        GraphBase = new(DefenderHosts.DoDGraph),
        IncidentsResource = DefenderHosts.GovXdrApi,
        SiemResource = DefenderHosts.GovSiemResource,
        EndpointResource = DefenderHosts.GovEndpointApi,
        GraphResource = DefenderHosts.DoDGraph,
    };
}
