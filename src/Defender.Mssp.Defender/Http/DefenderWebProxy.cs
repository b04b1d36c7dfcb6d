using System.Net;

namespace Defender.Mssp.Defender.Http;

/// <summary>
/// The product's <see cref="IWebProxy"/>: one proxy for https destinations and one for http (often the same), a
/// bypass list, and credentials. Unlike <see cref="WebProxy"/> and the runtime's environment proxy, nothing is
/// bypassed implicitly, loopback included, so a proxy in front of a loopback simulator is really used.
/// </summary>
internal sealed class DefenderWebProxy(Uri? httpsProxy, Uri? httpProxy, ProxyBypassList bypass, ICredentials? credentials) : IWebProxy
{
    public Uri? HttpsProxy { get; } = httpsProxy;

    public Uri? HttpProxy { get; } = httpProxy;

    public ProxyBypassList Bypass { get; } = bypass;

    public ICredentials? Credentials { get; set; } = credentials;

    public Uri? GetProxy(Uri destination) => IsBypassed(destination) ? null : ProxyFor(destination);

    public bool IsBypassed(Uri host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return ProxyFor(host) is null || Bypass.Matches(host);
    }

    /// <summary>Where requests go, for the log line at start: never the credentials.</summary>
    public override string ToString() =>
        HttpsProxy == HttpProxy || HttpProxy is null || HttpsProxy is null
            ? ProxyAddress.Describe((HttpsProxy ?? HttpProxy)!)
            : $"https: {ProxyAddress.Describe(HttpsProxy)}, http: {ProxyAddress.Describe(HttpProxy)}";

    private Uri? ProxyFor(Uri destination) =>
        destination.Scheme is "https" or "wss" ? HttpsProxy : HttpProxy;
}
