using System.Net;
using Defender.Mssp.Defender.Configuration;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Defender.Http;

/// <summary>
/// Builds the one <see cref="SocketsHttpHandler"/> configuration that both MSAL and the API clients use, so trust
/// anchors, proxy (the environment's, as usual) and connection recycling apply to every request the product makes.
/// </summary>
public sealed class DefenderHttpHandlerFactory
{
    private readonly DefenderHttpOptions _options;
    private readonly Lazy<TrustAnchorCertificateValidator?> _validator;

    public DefenderHttpHandlerFactory(IOptions<DefenderHttpOptions> options)
    {
        _options = options.Value;
        _validator = new(() => string.IsNullOrWhiteSpace(_options.TrustedCertificatesPath)
            ? null
            : TrustAnchorCertificateValidator.FromPemFile(_options.TrustedCertificatesPath));
    }

    /// <summary>The extra-anchor validator, or null when only system trust applies.</summary>
    public TrustAnchorCertificateValidator? Validator => _validator.Value;

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

        return handler;
    }
}
