namespace Defender.Mssp.Tenants;

/// <summary>How a <see cref="TenantCertificate"/>'s material is encoded.</summary>
public enum CertificateFormat
{
    /// <summary>PKCS#12 (a <c>.pfx</c>/<c>.p12</c> file), held as base64 text.</summary>
    Pkcs12,

    /// <summary>RFC 7468 PEM text with a <c>CERTIFICATE</c> and a (possibly encrypted) private key.</summary>
    Pem,
}
