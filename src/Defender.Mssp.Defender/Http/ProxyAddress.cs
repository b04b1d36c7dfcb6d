using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Defender.Mssp.Defender.Http;

/// <summary>
/// A proxy URL as configuration and <c>HTTPS_PROXY</c> spell it: a scheme is optional (<c>proxy:3128</c> means
/// http), and user info (<c>http://user:pass@proxy:3128</c>) becomes the proxy's credentials and is taken out of the
/// address, so the address can be shown and logged.
/// </summary>
internal static class ProxyAddress
{
    private static readonly string[] Schemes = ["http", "https", "socks4", "socks4a", "socks5"];

    public static bool TryParse(string? value, [NotNullWhen(true)] out Uri? address, out NetworkCredential? credential)
    {
        address = null;
        credential = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var text = value.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "http://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !Schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase)
            || string.IsNullOrEmpty(uri.Host))
        {
            return false;
        }

        if (uri.UserInfo.Length > 0)
        {
            var separator = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = separator < 0 ? uri.UserInfo : uri.UserInfo[..separator];
            var password = separator < 0 ? "" : uri.UserInfo[(separator + 1)..];
            credential = new NetworkCredential(Uri.UnescapeDataString(user), Uri.UnescapeDataString(password));
        }

        address = new Uri($"{uri.Scheme}://{uri.Authority}/"); // Authority leaves the user info out
        return true;
    }

    /// <summary>Scheme, host and port only: safe for logs and messages whatever the configured value held.</summary>
    public static string Describe(string? value) =>
        TryParse(value, out var address, out _) ? Describe(address) : "(not a proxy URL)";

    public static string Describe(Uri address) => $"{address.Scheme}://{address.Authority}";
}
