namespace Defender.Simulator.Hosting;

/// <summary>
/// One Microsoft cloud as the simulator tells it apart (<c>Simulator:Clouds:{name}</c>): the host names that belong to
/// it and the token resources (audiences) it issues and accepts. A request's Host header picks the cloud(s): a token
/// endpoint on a cloud's host issues only that cloud's resources (AADSTS500011 otherwise) and only for tenants of that
/// cloud (AADSTS90002), and an API host accepts only tokens for its cloud's resources (401 otherwise). Hosts listed by
/// no cloud (127.0.0.1, the SIEM hosts) accept every known resource, as before clouds were told apart.
/// </summary>
public sealed class SimulatedCloudOptions
{
    /// <summary>Host names (no scheme or port), e.g. <c>login.microsoftonline.us</c> or a loopback alias such as <c>127.0.0.3</c>.</summary>
    public List<string> Hosts { get; set; } = [];

    /// <summary>Application ID URIs of this cloud's APIs, e.g. <c>https://api-gov.security.microsoft.us</c>.</summary>
    public List<string> Resources { get; set; } = [];
}

/// <summary>The four clouds of defender-api.md with their real hosts and resources.</summary>
public static class SimulatedCloudDefaults
{
    public const string Commercial = "Commercial";
    public const string Gcc = "Gcc";
    public const string GccHigh = "GccHigh";
    public const string DoD = "DoD";

    public static Dictionary<string, SimulatedCloudOptions> All() => new(StringComparer.OrdinalIgnoreCase)
    {
        [Commercial] = new()
        {
            Hosts =
            [
                "login.microsoftonline.com", "api.security.microsoft.com", "us.api.security.microsoft.com", "eu.api.security.microsoft.com",
                "uk.api.security.microsoft.com", "au.api.security.microsoft.com", "api.securitycenter.microsoft.com", "graph.microsoft.com",
            ],
            Resources = ["https://api.security.microsoft.com", "https://api.securitycenter.microsoft.com", "https://graph.microsoft.com", "https://graph.windows.net"],
        },
        [Gcc] = new()
        {
            Hosts = ["login.microsoftonline.com", "api-gcc.security.microsoft.us", "api-gcc.securitycenter.microsoft.us", "graph.microsoft.com"],
            Resources = ["https://api-gcc.security.microsoft.us", "https://api-gcc.securitycenter.microsoft.us", "https://graph.microsoft.com"],
        },
        [GccHigh] = new()
        {
            Hosts = ["login.microsoftonline.us", "api-gov.security.microsoft.us", "api-gov.securitycenter.microsoft.us", "graph.microsoft.us"],
            Resources = ["https://api-gov.security.microsoft.us", "https://api-gov.securitycenter.microsoft.us", "https://graph.microsoft.us"],
        },
        [DoD] = new()
        {
            Hosts = ["login.microsoftonline.us", "api-gov.security.microsoft.us", "api-gov.securitycenter.microsoft.us", "dod-graph.microsoft.us"],
            Resources = ["https://api-gov.security.microsoft.us", "https://api-gov.securitycenter.microsoft.us", "https://dod-graph.microsoft.us"],
        },
    };
}
