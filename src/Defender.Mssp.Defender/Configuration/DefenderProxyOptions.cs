namespace Defender.Mssp.Defender.Configuration;

/// <summary>
/// The outbound proxy every token and API request goes through, bound from section <c>Defender:Http:Proxy</c>.
/// With no <see cref="Address"/>, the environment's <c>HTTPS_PROXY</c>/<c>HTTP_PROXY</c>/<c>ALL_PROXY</c>/<c>NO_PROXY</c>
/// apply (unless <see cref="UseEnvironment"/> is off); with neither, the platform's default proxy. With
/// <see cref="UseEnvironment"/> off and no <see cref="Address"/>, requests go direct. A proxy variable that is set but
/// is not a proxy URL stops the first request with an error rather than going direct.
/// </summary>
public sealed class DefenderProxyOptions
{
    public const string SectionName = "Defender:Http:Proxy";

    /// <summary>The proxy for every request, e.g. <c>http://proxy.corp.example:3128</c>; overrides the environment.</summary>
    public string? Address { get; set; }

    /// <summary>
    /// Hosts reached directly, in <c>NO_PROXY</c> form: <c>host</c> (and its subdomains), <c>.domain</c>,
    /// <c>*.domain</c>, <c>host:port</c>, an IP address, a CIDR range such as <c>10.0.0.0/8</c>, or <c>*</c> for all.
    /// Entries may also be comma-separated. Loopback addresses are not bypassed unless listed (or
    /// <see cref="BypassOnLocal"/> is set).
    /// </summary>
    public List<string> BypassList { get; set; } = [];

    /// <summary>Reach loopback addresses and dot-less host names directly.</summary>
    public bool BypassOnLocal { get; set; }

    /// <summary>With no <see cref="Address"/>, take the proxy from the environment variables.</summary>
    public bool UseEnvironment { get; set; } = true;

    /// <summary>User name for the proxy (Basic, Digest, NTLM or Negotiate, as the proxy asks).</summary>
    public string? Username { get; set; }

    /// <summary>The proxy password: a secret, never logged or shown in a validation message.</summary>
    public string? Password { get; set; }

    /// <summary>Authenticate to the proxy as the process's own identity (Negotiate/NTLM) instead of a user name.</summary>
    public bool UseDefaultCredentials { get; set; }

    /// <summary>Says whether a proxy is configured and never shows the password.</summary>
    public override string ToString() =>
        $"Proxy {(string.IsNullOrWhiteSpace(Address) ? "(none configured)" : Http.ProxyAddress.Describe(Address))}, " +
        $"{BypassList.Count} bypass entries, credentials {(Username is null ? "none" : "***")}";
}
