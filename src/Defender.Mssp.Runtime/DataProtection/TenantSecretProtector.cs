using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Secret = Defender.Mssp.Tenants.Secret;

namespace Defender.Mssp.Runtime.DataProtection;

/// <summary>
/// Seals tenants' client secrets for storage and unseals them for the silo that needs them, with ASP.NET Core Data
/// Protection under <see cref="Purpose"/> and the tenant id as sub-purpose: a sealed secret copied into another
/// tenant's document does not unseal there.
/// </summary>
public sealed class TenantSecretProtector
{
    /// <summary>Versioned so that a future change of sealed format can live beside the old one.</summary>
    public const string Purpose = "Defender.Mssp.Tenants.ClientSecret.v1";

    private readonly IDataProtector _protector;

    public TenantSecretProtector(IDataProtectionProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _protector = provider.CreateProtector(Purpose);
    }

    /// <summary>The sealed (encrypted and authenticated) form of <paramref name="secret"/>, bound to <paramref name="tenantId"/>.</summary>
    public string Seal(string tenantId, Secret secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(secret);
        return _protector.CreateProtector(tenantId).Protect(secret.Reveal());
    }

    /// <summary>The secret <paramref name="sealedSecret"/> holds, if it was sealed for <paramref name="tenantId"/>.</summary>
    /// <exception cref="SecretUnsealException">Not sealed for this tenant, tampered with, or sealed with a key this
    /// key ring does not have (or has revoked).</exception>
    public Secret Unseal(string tenantId, string sealedSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(sealedSecret);
        try
        {
            return new Secret(_protector.CreateProtector(tenantId).Unprotect(sealedSecret));
        }
        catch (CryptographicException e)
        {
            throw new SecretUnsealException(tenantId, e);
        }
    }
}
