using System.Security.Cryptography;

namespace Defender.Mssp.Runtime.DataProtection;

/// <summary>A sealed secret could not be unsealed. The message names the tenant only; the cause is Data Protection's.</summary>
public sealed class SecretUnsealException(string tenantId, CryptographicException innerException)
    : Exception($"The sealed credential of tenant '{tenantId}' cannot be unsealed with this key ring (wrong key ring or application name, revoked key, or tampered data).", innerException)
{
    public string TenantId { get; } = tenantId;
}
