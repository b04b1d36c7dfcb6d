using System.Text.RegularExpressions;

namespace Defender.Mssp.Sinks.Syslog;

/// <summary>How <see cref="SyslogRecordSink"/> carries messages: RFC 6587 octet-counted TCP, or the same over TLS (RFC 5425).</summary>
public enum SyslogTransport
{
    Tcp,
    Tls,
}

/// <summary>The body (MSG) of each RFC 5424 message.</summary>
public enum SyslogFormat
{
    /// <summary>ArcSight Common Event Format: <c>CEF:0|Microsoft|Defender|1.0|{signature}|{name}|{severity}|{extensions}</c>.</summary>
    Cef,

    /// <summary>The record's envelope as one line of JSON, as the JSON Lines sink writes it.</summary>
    Json,
}

/// <summary>Where and how <see cref="SyslogRecordSink"/> sends messages.</summary>
public sealed partial class SyslogSinkOptions
{
    public const int DefaultTcpPort = 514;
    public const int DefaultTlsPort = 6514;

    /// <summary>local0: the facility collectors are usually told to route a forwarding application by.</summary>
    public const int DefaultFacility = 16;

    public const string DefaultAppName = "defender-mssp";

    /// <summary>The SD-ID of the envelope's structured data; 32473 is the private enterprise number RFC 5612 reserves for examples.</summary>
    public const string DefaultStructuredDataId = "defender@32473";

    public const string DefaultCefDeviceVendor = "Microsoft";
    public const string DefaultCefDeviceProduct = "Defender";
    public const string DefaultCefDeviceVersion = "1.0";
    public const int DefaultMaxRetryAttempts = 4;

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultRetryBaseDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultRetryMaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>The collector's host name or address. Required.</summary>
    public string? Host { get; set; }

    /// <summary>The collector's port; null means 514 for TCP and 6514 for TLS.</summary>
    public int? Port { get; set; }

    public SyslogTransport Transport { get; set; } = SyslogTransport.Tcp;

    public SyslogFormat Format { get; set; } = SyslogFormat.Cef;

    /// <summary>The name the collector's TLS certificate must carry; null means <see cref="Host"/>.</summary>
    public string? ServerName { get; set; }

    /// <summary>A PEM file of extra trust anchors for the collector's certificate, on top of the system store.</summary>
    public string? TrustedCertificatesPath { get; set; }

    /// <summary>The syslog facility (0–23) of every message.</summary>
    public int Facility { get; set; } = DefaultFacility;

    /// <summary>RFC 5424 APP-NAME.</summary>
    public string AppName { get; set; } = DefaultAppName;

    /// <summary>RFC 5424 HOSTNAME; null means this machine's name.</summary>
    public string? Hostname { get; set; }

    /// <summary>The SD-ID under which tenant, source, record id and idempotency key go as structured data; empty for none.</summary>
    public string? StructuredDataId { get; set; } = DefaultStructuredDataId;

    public string CefDeviceVendor { get; set; } = DefaultCefDeviceVendor;

    public string CefDeviceProduct { get; set; } = DefaultCefDeviceProduct;

    public string CefDeviceVersion { get; set; } = DefaultCefDeviceVersion;

    /// <summary>Also put the record's whole JSON into CEF (<c>cs6Label=record cs6=…</c>); off, as ArcSight cuts custom strings at 4,000 characters.</summary>
    public bool CefIncludeRecord { get; set; }

    /// <summary>How long connecting (with the TLS handshake) and writing one batch may take before the attempt is abandoned.</summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>Reconnect-and-resend attempts after the first; 0 for none.</summary>
    public int MaxRetryAttempts { get; set; } = DefaultMaxRetryAttempts;

    public TimeSpan RetryBaseDelay { get; set; } = DefaultRetryBaseDelay;

    public TimeSpan RetryMaxDelay { get; set; } = DefaultRetryMaxDelay;

    internal int EffectivePort => Port ?? (Transport == SyslogTransport.Tls ? DefaultTlsPort : DefaultTcpPort);

    /// <summary>The problems that make these options unusable; empty when they are fine.</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return "Host is required.";
        }

        if (Port is < 1 or > 65535)
        {
            yield return "Port must be 1-65535.";
        }

        if (Facility is < 0 or > 23)
        {
            yield return "Facility must be 0-23.";
        }

        if (!PrintableAscii().IsMatch(AppName) || AppName.Length > 48)
        {
            yield return "AppName must be 1-48 printable ASCII characters without spaces.";
        }

        if (!string.IsNullOrEmpty(StructuredDataId) && !SdName().IsMatch(StructuredDataId))
        {
            yield return "StructuredDataId must be 1-32 printable ASCII characters without '=', ']', '\"' or spaces.";
        }

        if (Timeout <= TimeSpan.Zero || MaxRetryAttempts < 0 || RetryBaseDelay < TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
        {
            yield return "Timeout must be positive, MaxRetryAttempts 0 or more and 0 <= RetryBaseDelay <= RetryMaxDelay.";
        }
    }

    [GeneratedRegex("^[!-~]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PrintableAscii();

    [GeneratedRegex("^[!#-<>-\\\\^-~]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex SdName();
}
