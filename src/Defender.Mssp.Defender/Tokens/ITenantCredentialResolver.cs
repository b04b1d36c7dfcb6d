using Defender.Mssp.Tenants;

namespace Defender.Mssp.Defender.Tokens;

/// <summary>Finds the credential a tenant's settings carry; replace it to add certificates or a secret store.</summary>
public interface ITenantCredentialResolver
{
    /// <summary>The tenant's credential, or null when none is configured.</summary>
    TenantClientCredential? Resolve(TenantSettings tenant);
}

/// <summary>Uses <see cref="TenantSettings.ClientSecret"/> only; <see cref="TenantCredentialResolver"/> adds certificates.</summary>
public sealed class ClientSecretCredentialResolver : ITenantCredentialResolver
{
    public TenantClientCredential? Resolve(TenantSettings tenant) =>
        tenant.ClientSecret is { } secret && secret.Reveal().Length > 0 ? new ClientSecretCredential(secret) : null;
}
