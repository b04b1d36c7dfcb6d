namespace Defender.Mssp.Defender.Configuration;

/// <summary>
/// The real Microsoft hosts and token resources, per cloud: the defaults of <see cref="DefenderEndpointsOptions"/>.
/// Sources: the seed documents, Microsoft's API documentation and its page for US Government customers.
/// </summary>
public static class DefenderHosts
{
    public const string CommercialLogin = "https://login.microsoftonline.com";
    public const string UsGovernmentLogin = "https://login.microsoftonline.us";

    public const string CommercialXdrApi = "https://api.security.microsoft.com";
    public const string GccXdrApi = "https://api-gcc.security.microsoft.us";
    public const string GovXdrApi = "https://api-gov.security.microsoft.us";

    /// <summary>The XDR API's regional hosts (<c>{region}.api.security.microsoft.com</c>), commercial cloud only.</summary>
    public const string XdrUs = "https://us.api.security.microsoft.com";
    public const string XdrEu = "https://eu.api.security.microsoft.com";
    public const string XdrUk = "https://uk.api.security.microsoft.com";
    public const string XdrAu = "https://au.api.security.microsoft.com";

    public const string CommercialEndpointApi = "https://api.securitycenter.microsoft.com";
    public const string GccEndpointApi = "https://api-gcc.securitycenter.microsoft.us";
    public const string GovEndpointApi = "https://api-gov.securitycenter.microsoft.us";

    public const string CommercialGraph = "https://graph.microsoft.com";
    public const string GccHighGraph = "https://graph.microsoft.us";
    public const string DoDGraph = "https://dod-graph.microsoft.us";

    public const string SiemEu = "https://wdatp-alertexporter-eu.windows.com";
    public const string SiemUs = "https://wdatp-alertexporter-us.windows.com";
    public const string SiemUk = "https://wdatp-alertexporter-uk.windows.com";

    /// <summary>The resource seed 003 requests SIEM API tokens for (Azure AD Graph).</summary>
    public const string CommercialSiemResource = "https://graph.windows.net";

    /// <summary>
    /// Microsoft documents no SIEM host or resource for US Government clouds; there the Defender for Endpoint API
    /// resource is the closest documented audience. Configure both if such a tenant really uses the SIEM API.
    /// </summary>
    public const string GccSiemResource = GccEndpointApi;

    /// <inheritdoc cref="GccSiemResource"/>
    public const string GovSiemResource = GovEndpointApi;
}
