using System.ComponentModel;

namespace Defender.Mssp.Api.Contracts;

/// <summary>
/// A certificate credential in a request (<c>credential</c> of <c>POST /tenants</c> and
/// <c>PUT /tenants/{tenantId}/credentials</c>): the certificate with its private key, as PKCS#12 or PEM. Sealed at rest
/// at once; responses only ever show its kind, thumbprint and expiry.
/// </summary>
public sealed class CredentialInput
{
    [Description("The credential kind: certificate. Required.")]
    public string? Kind { get; set; }

    [Description("The certificate with its private key as a PKCS#12 (.pfx) file, base64. Give this or pem.")]
    public string? PfxBase64 { get; set; }

    [Description("The certificate and its private key (PRIVATE KEY or ENCRYPTED PRIVATE KEY) as PEM text. Give this or pfxBase64.")]
    public string? Pem { get; set; }

    [Description("The PKCS#12 file's password, or the encrypted PEM key's. Sealed at rest and never returned.")]
    public string? Password { get; set; }
}
