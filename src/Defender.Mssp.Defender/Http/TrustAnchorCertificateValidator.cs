using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Defender.Mssp.Defender.Http;

/// <summary>
/// Server certificate validation: the system's trust as usual, plus extra trust anchors (a simulator's self-signed
/// certificate, a corporate TLS-inspection CA). A chain that fails only because its root is unknown is built again
/// with those anchors as the only roots. Any other failure — host name mismatch, no certificate, expiry, a bad
/// signature — is rejected as before: validation is narrowed to known anchors, never switched off.
/// </summary>
public sealed class TrustAnchorCertificateValidator
{
    private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

    private readonly X509Certificate2Collection _anchors;

    public TrustAnchorCertificateValidator(X509Certificate2Collection anchors)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        _anchors = anchors;
    }

    public int AnchorCount => _anchors.Count;

    /// <summary>Loads every certificate of a PEM file (private keys in it are ignored).</summary>
    public static TrustAnchorCertificateValidator FromPemFile(string path)
    {
        var anchors = new X509Certificate2Collection();
        anchors.ImportFromPemFile(path);
        if (anchors.Count == 0)
        {
            throw new InvalidOperationException($"No certificate found in trust anchor file '{path}'.");
        }

        return new TrustAnchorCertificateValidator(anchors);
    }

    /// <summary>Signature of <see cref="RemoteCertificateValidationCallback"/>.</summary>
    public bool Validate(object? sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        Validate(certificate, chain, errors);

    public bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Name mismatch and missing certificate were decided by SslStream; extra anchors change nothing about them.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null || _anchors.Count == 0)
        {
            return false;
        }

        if (chain is not null && !OnlyTheRootIsUnknown(chain))
        {
            return false;
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        try
        {
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(_anchors);
            // SslStream's own default: private anchors (a simulator, an inspection CA) publish no revocation lists.
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            custom.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ServerAuthenticationOid));
            if (chain is not null)
            {
                // The intermediates the server sent, so a chain to a corporate root can be completed.
                foreach (var element in chain.ChainElements)
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            return custom.Build(leaf);
        }
        finally
        {
            if (!ReferenceEquals(leaf, certificate))
            {
                leaf.Dispose();
            }
        }
    }

    private static bool OnlyTheRootIsUnknown(X509Chain chain)
    {
        var unknownRoot = false;
        foreach (var status in chain.ChainStatus)
        {
            switch (status.Status)
            {
                case X509ChainStatusFlags.NoError:
                    break;
                case X509ChainStatusFlags.UntrustedRoot:
                case X509ChainStatusFlags.PartialChain:
                    unknownRoot = true;
                    break;
                default:
                    return false;
            }
        }

        return unknownRoot;
    }
}
