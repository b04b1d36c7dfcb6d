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

        ProxyAddress.TryParse(environment.HttpsProxy ?? environment.AllProxy, out var https, out var httpsInline);
        ProxyAddress.TryParse(environment.HttpProxy ?? environment.AllProxy, out var http, out var httpInline);
        if (https is null && http is null)
        {
            return None;
        }

        var exceptions = ProxyBypassList.Parse([environment.NoProxy, .. options.BypassList], options.BypassOnLocal);
        return new OutboundProxy(
            new DefenderWebProxy(https, http, exceptions, Credentials(options, httpsInline ?? httpInline)), false, FromEnvironment);
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
