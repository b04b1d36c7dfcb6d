namespace Defender.Simulator.Tenants;

/// <summary>The outcome of checking a client's credentials against a tenant's app registrations.</summary>
internal enum SecretCheck
{
    Valid,
    AppNotFound,
    NoCredential,
    InvalidSecret,
    ExpiredSecret,
}

/// <summary>The result of a credential check with what the token endpoint needs to answer.</summary>
internal readonly record struct CredentialResult(SecretCheck Outcome, string? AppDisplayName, bool ConsentGranted);
