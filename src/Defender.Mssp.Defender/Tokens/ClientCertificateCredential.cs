using Defender.Mssp.Tenants;
using Microsoft.Identity.Client;

namespace Defender.Mssp.Defender.Tokens;

/// <summary>
/// An X.509 certificate credential: MSAL signs a client assertion (a JWT naming the certificate by its thumbprint)
/// with the private key instead of sending a secret, so nothing reusable ever crosses the wire.
/// </summary>
/// <remarks>
/// The private key is loaded only when an MSAL application is built with this credential, once per application
/// (<c>MsalApplications</c> caches them by <see cref="Fingerprint"/>); resolving the credential on every token request
/// costs nothing. The application keeps the loaded certificate for its lifetime.
/// </remarks>
public sealed class ClientCertificateCredential : TenantClientCredential
{
    private readonly bool _sendCertificateChain;

    /// <param name="certificate">The certificate with its private key.</param>
    /// <param name="sendCertificateChain">
    /// Send the certificate in the assertion's <c>x5c</c> header, for apps that trust certificates by subject name and
    /// issuer (SNI) rather than by the uploaded thumbprint.
    /// </param>
    public ClientCertificateCredential(TenantCertificate certificate, bool sendCertificateChain = false)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Certificate = certificate;
        _sendCertificateChain = sendCertificateChain;
        Fingerprint = CredentialFingerprint.Of("certificate", certificate.Thumbprint + (sendCertificateChain ? "\0x5c" : ""));
    }

    /// <summary>The certificate; its material never prints.</summary>
    public TenantCertificate Certificate { get; }

    public override string Fingerprint { get; }

    public override ConfidentialClientApplicationBuilder ApplyTo(ConfidentialClientApplicationBuilder builder) =>
        builder.WithCertificate(Certificate.LoadWithPrivateKey(), _sendCertificateChain);

    public override string Redact(string text)
    {
        var redacted = text.Replace(Certificate.Material.Reveal(), Secret.Redacted, StringComparison.Ordinal);
        return Certificate.Password?.Reveal() is { Length: > 0 } password
            ? redacted.Replace(password, Secret.Redacted, StringComparison.Ordinal)
            : redacted;
    }
}
