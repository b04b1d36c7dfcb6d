namespace Defender.Mssp.Runtime.Tenants;

/// <summary>
/// A tenant application's credential as stored: only its sealed form (Data Protection, see
/// <c>TenantSecretProtector</c>), when it was set and, for a certificate, the public facts an operator may see
/// (thumbprint, subject, validity). Rotating it replaces the whole object.
/// </summary>
public sealed record SealedCredential
{
    public CredentialKind Kind { get; init; } = CredentialKind.ClientSecret;

    /// <summary>The sealed value; useless without the shared key ring.</summary>
    public required string Sealed { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>A certificate's SHA-1 thumbprint (hex), as the Azure portal lists it; null for a secret.</summary>
    public string? Thumbprint { get; init; }

    /// <summary>A certificate's subject; null for a secret.</summary>
    public string? Subject { get; init; }

    /// <summary>When a certificate becomes valid; null for a secret.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>When a certificate expires; null for a secret (Entra ID alone knows a secret's expiry).</summary>
    public DateTimeOffset? NotAfter { get; init; }
}

/// <summary>What a <see cref="SealedCredential"/> holds.</summary>
public enum CredentialKind
{
    /// <summary>An application client secret.</summary>
    ClientSecret,

    /// <summary>An X.509 certificate with its private key (PKCS#12 or PEM, and its password), sealed as one.</summary>
    ClientCertificate,
}
