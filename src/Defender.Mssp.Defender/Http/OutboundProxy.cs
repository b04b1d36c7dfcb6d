using System.Net;
using Defender.Mssp.Defender.Configuration;

namespace Defender.Mssp.Defender.Http;

/// <summary>
/// How outbound requests reach the internet, decided once from <see cref="DefenderProxyOptions"/> and the
/// environment: through <see cref="Proxy"/>, directly, or through the platform's default proxy.
/// </summary>
internal sealed record OutboundProxy(DefenderWebProxy? Proxy, bool Direct, string Origin)
{
    public const string FromConfiguration = "configuration";
    public const string FromEnvironment = "environment";

    /// <summary>Nothing configured: the runtime's default proxy (on Windows and macOS, the system's settings).</summary>
    public static OutboundProxy PlatformDefault { get; } = new(null, false, "platform default");

    public static OutboundProxy None { get; } = new(null, true, "none");

    /// <summary>
    /// <see cref="DefenderProxyOptions.Address"/> first, then (when allowed) the environment variables. The configured
    /// bypass list applies either way, added to <c>NO_PROXY</c>; configured credentials win over user info in a URL.
    /// </summary>
    public static OutboundProxy Resolve(DefenderProxyOptions options, ProxyEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrWhiteSpace(options.Address))
        {
            if (!ProxyAddress.TryParse(options.Address, out var address, out var inline))
            {
                throw new InvalidOperationException($"{DefenderProxyOptions.SectionName}:Address is not a proxy URL.");
            }

            var bypass = ProxyBypassList.Parse(options.BypassList, options.BypassOnLocal);
            return new OutboundProxy(new DefenderWebProxy(address, address, bypass, Credentials(options, inline)), false, FromConfiguration);
        }

        if (!options.UseEnvironment)
        {
            return None;
        }

        if (environment.IsEmpty)
        {
            return PlatformDefault;
        }

        // A variable that is set but unreadable must not mean "go direct": on a network that only lets the proxy out
        // that fails late and obscurely, and on one that allows both it silently bypasses the proxy policy.
        var https = FromVariable(environment.HttpsProxy ?? environment.AllProxy, environment.HttpsProxy is null ? "ALL_PROXY" : "HTTPS_PROXY", out var httpsInline);
        var http = FromVariable(environment.HttpProxy ?? environment.AllProxy, environment.HttpProxy is null ? "ALL_PROXY" : "HTTP_PROXY", out var httpInline);

        var exceptions = ProxyBypassList.Parse([environment.NoProxy, .. options.BypassList], options.BypassOnLocal);
        return new OutboundProxy(
            new DefenderWebProxy(https, http, exceptions, Credentials(options, httpsInline ?? httpInline)), false, FromEnvironment);
    }

    private static Uri? FromVariable(string? value, string variable, out NetworkCredential? inline)
    {
        inline = null;
        if (value is null)
        {
            return null;
        }

        return ProxyAddress.TryParse(value, out var address, out inline)
            ? address
            : throw new InvalidOperationException(
                $"{variable} is set but is not a proxy URL (http, https, socks4, socks4a or socks5 with a host); set it right, or set "
                + $"{DefenderProxyOptions.SectionName}:UseEnvironment to false to ignore the proxy variables.");
    }

    private static ICredentials? Credentials(DefenderProxyOptions options, NetworkCredential? inline)
    {
        if (options.UseDefaultCredentials)
        {
            return CredentialCache.DefaultCredentials;
        }

        return string.IsNullOrEmpty(options.Username) ? inline : new NetworkCredential(options.Username, options.Password);
    }
}
