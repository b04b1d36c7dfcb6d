using System.Net;
using Defender.Mssp.Defender.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Defender.Http;

/// <summary>
/// Builds the one <see cref="SocketsHttpHandler"/> configuration that both MSAL and the API clients use, so trust
/// anchors, the outbound proxy (<see cref="DefenderProxyOptions"/>, else <c>HTTPS_PROXY</c>/<c>NO_PROXY</c>) and
/// connection recycling apply to every request the product makes.
/// </summary>
public sealed partial class DefenderHttpHandlerFactory
{
    private readonly DefenderHttpOptions _options;
    private readonly Lazy<TrustAnchorCertificateValidator?> _validator;
    private readonly Lazy<OutboundProxy> _proxy;

    public DefenderHttpHandlerFactory(IOptions<DefenderHttpOptions> options, ILogger<DefenderHttpHandlerFactory>? logger = null)
        : this(options, ProxyEnvironment.FromProcess(), logger)
    {
    }

    /// <summary>For tests: the proxy environment variables given rather than read from the process.</summary>
    internal DefenderHttpHandlerFactory(
        IOptions<DefenderHttpOptions> options, ProxyEnvironment environment, ILogger<DefenderHttpHandlerFactory>? logger = null)
    {
        _options = options.Value;
        _validator = new(() => string.IsNullOrWhiteSpace(_options.TrustedCertificatesPath)
            ? null
            : TrustAnchorCertificateValidator.FromPemFile(_options.TrustedCertificatesPath));
        var log = logger ?? (ILogger)NullLogger.Instance;
        _proxy = new(() =>
        {
            var proxy = OutboundProxy.Resolve(_options.Proxy, environment);
            if (proxy.Proxy is { } chosen)
            {
                LogProxy(log, chosen.ToString(), proxy.Origin, chosen.Bypass.Count, chosen.Credentials is not null);
            }
            else
            {
                LogNoProxy(log, proxy.Origin);
            }

            return proxy;
        });
    }

    /// <summary>The extra-anchor validator, or null when only system trust applies.</summary>
    public TrustAnchorCertificateValidator? Validator => _validator.Value;

    /// <summary>The proxy every handler uses, or null when requests go direct or through the platform's default proxy.</summary>
    public IWebProxy? Proxy => _proxy.Value.Proxy;

    public SocketsHttpHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = _options.PooledConnectionLifetime,
            AutomaticDecompression = DecompressionMethods.All,
        };
        if (Validator is { } validator)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = validator.Validate;
        }

        var proxy = _proxy.Value;
        if (proxy.Proxy is { } chosen)
        {
            handler.Proxy = chosen;
            handler.UseProxy = true;
        }
        else if (proxy.Direct)
        {
            handler.UseProxy = false;
        }

        return handler;
    }

    [LoggerMessage(EventId = 1050, Level = LogLevel.Information,
        Message = "Outbound requests go through proxy {Proxy} (from {Origin}), {BypassEntries} bypass entries, credentials: {HasCredentials}")]
    private static partial void LogProxy(ILogger logger, string proxy, string origin, int bypassEntries, bool hasCredentials);

    [LoggerMessage(EventId = 1051, Level = LogLevel.Information, Message = "Outbound requests use no configured proxy ({Origin})")]
    private static partial void LogNoProxy(ILogger logger, string origin);
}
