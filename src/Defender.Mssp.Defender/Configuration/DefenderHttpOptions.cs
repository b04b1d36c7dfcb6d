using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Defender.Configuration;

/// <summary>The HTTP stack shared by MSAL and the API clients, bound from section <c>Defender:Http</c>.</summary>
public sealed class DefenderHttpOptions
{
    public const string SectionName = "Defender:Http";

    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(100);

    public static readonly TimeSpan DefaultPooledConnectionLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A PEM file of extra trust anchors (the simulator's self-signed certificate, a corporate TLS-inspection CA).
    /// A server chain that fails only because its root is unknown is re-validated against these; host names are
    /// still checked. Empty: system trust only.
    /// </summary>
    public string? TrustedCertificatesPath { get; set; }

    /// <summary>Timeout of one HTTP attempt; a timed-out attempt counts as transient and is retried.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan RequestTimeout { get; set; } = DefaultRequestTimeout;

    /// <summary>Connections are recycled after this long so DNS changes are seen.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PooledConnectionLifetime { get; set; } = DefaultPooledConnectionLifetime;

    /// <summary>The outbound proxy (section <c>Defender:Http:Proxy</c>); the environment's when none is configured.</summary>
    public DefenderProxyOptions Proxy { get; set; } = new();
}
