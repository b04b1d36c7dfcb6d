namespace Defender.Mssp.Runtime.Tenants;

/// <summary>
/// A tenant application's credential as stored: only its sealed form (Data Protection, see
/// <c>TenantSecretProtector</c>) and when it was set. Rotating it replaces the whole object.
/// </summary>
public sealed record SealedCredential
{
    public CredentialKind Kind { get; init; } = CredentialKind.ClientSecret;

    /// <summary>The sealed value; useless without the shared key ring.</summary>
    public required string Sealed { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>What a <see cref="SealedCredential"/> holds.</summary>
public enum CredentialKind
{
    /// <summary>An application client secret (the only kind <c>TenantSettings</c> can carry today).</summary>
    ClientSecret,
}
