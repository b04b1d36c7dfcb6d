using Defender.Mssp.Tenants;
using Microsoft.Identity.Client;

namespace Defender.Mssp.Defender.Tokens;

/// <summary>A client secret credential.</summary>
public sealed class ClientSecretCredential : TenantClientCredential
{
    private readonly Secret _secret;

    public ClientSecretCredential(Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (string.IsNullOrEmpty(secret.Reveal()))
        {
            throw new ArgumentException("The client secret is empty.", nameof(secret));
        }

        _secret = secret;
        Fingerprint = CredentialFingerprint.Of("secret", secret.Reveal());
    }

    public override string Fingerprint { get; }

    public override ConfidentialClientApplicationBuilder ApplyTo(ConfidentialClientApplicationBuilder builder) =>
        builder.WithClientSecret(_secret.Reveal());

    public override string Redact(string text) =>
        text.Replace(_secret.Reveal(), Secret.Redacted, StringComparison.Ordinal);
}
