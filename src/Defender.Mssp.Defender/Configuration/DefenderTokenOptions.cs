using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Defender.Configuration;

/// <summary>MSAL behaviour, bound from section <c>Defender:Tokens</c>.</summary>
public sealed class DefenderTokenOptions
{
    public const string SectionName = "Defender:Tokens";

    public static readonly TimeSpan DefaultAppIdleTimeout = TimeSpan.FromHours(6);

    /// <summary>
    /// MSAL's instance discovery (<c>{host}/common/discovery/instance</c>) and authority validation. Off by default:
    /// the authority hosts are our own configuration, client credentials need no aliases, and it lets a
    /// non-Microsoft host (the simulator) act as the authority with one request per token and nothing else.
    /// </summary>
    public bool InstanceDiscovery { get; set; }

    /// <summary>
    /// Send a certificate credential's certificate in the client assertion's <c>x5c</c> header (MSAL's
    /// <c>sendX5C</c>), for applications that trust certificates by subject name and issuer. Off: Entra ID finds the
    /// uploaded certificate by the assertion's thumbprint.
    /// </summary>
    public bool SendCertificateChain { get; set; }

    /// <summary>MSAL's own single retry, one second after a 5xx from the token endpoint.</summary>
    public bool RetryOnceOn5xx { get; set; } = true;

    /// <summary>
    /// An MSAL application (and its token cache) unused for this long is dropped the next time an application is
    /// created, so rotated secrets and removed tenants do not accumulate. Longer than a token lifetime.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan AppIdleTimeout { get; set; } = DefaultAppIdleTimeout;
}
