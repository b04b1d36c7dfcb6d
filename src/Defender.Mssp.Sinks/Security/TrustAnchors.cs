using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Defender.Mssp.Sinks;

/// <summary>
/// Server certificate validation for the network sinks: the system trust store, plus optional extra trust anchors
/// from a PEM file (a private CA, a test certificate). The host name is always checked; nothing is switched off.
/// </summary>
internal sealed class TrustAnchors
{
    private readonly X509Certificate2Collection _extra;

    private TrustAnchors(X509Certificate2Collection extra) => _extra = extra;

    /// <summary>No extra anchors: the platform's own validation decides.</summary>
    public static TrustAnchors SystemStore { get; } = new([]);

    /// <summary>The system store plus the certificates of <paramref name="pemPath"/>, when given.</summary>
    /// <exception cref="SinkFaultException">The file cannot be read or holds no certificate.</exception>
    public static TrustAnchors Load(string sinkName, string? pemPath)
    {
        if (string.IsNullOrWhiteSpace(pemPath))
        {
            return SystemStore;
        }

        try
        {
            var anchors = new X509Certificate2Collection();
            anchors.ImportFromPemFile(pemPath);
            return anchors.Count > 0
                ? new TrustAnchors(anchors)
                : throw new SinkFaultException(sinkName, $"Sink '{sinkName}': the trust anchor file '{pemPath}' holds no certificate.");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new SinkFaultException(sinkName, $"Sink '{sinkName}': the trust anchor file '{pemPath}' cannot be read ({exception.GetType().Name}).", exception);
        }
    }

    /// <summary>Null when the platform's validation is to be used as it is.</summary>
    public RemoteCertificateValidationCallback? Callback => _extra.Count == 0 ? null : Validate;

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // A name mismatch or a missing certificate is never forgiven; only the chain may end at an extra anchor.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_extra);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
