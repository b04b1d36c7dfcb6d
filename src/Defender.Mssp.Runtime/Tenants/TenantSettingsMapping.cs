using Defender.Mssp.Runtime.DataProtection;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Runtime.Tenants;

/// <summary>Turns a stored tenant document into the <see cref="TenantSettings"/> a grain runs with.</summary>
public static class TenantSettingsMapping
{
    /// <summary>The document's settings, its secret unsealed into a <see cref="Secret"/> that never prints itself.</summary>
    /// <exception cref="SecretUnsealException">The sealed secret cannot be unsealed with this key ring.</exception>
    public static TenantSettings ToSettings(this TenantDocument document, TenantSecretProtector protector)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(protector);
        return new TenantSettings
        {
            TenantId = document.TenantId,
            DisplayName = document.DisplayName.Length > 0 ? document.DisplayName : document.TenantId,
            ClientId = document.ClientId,
            ClientSecret = document.Credential is { Kind: CredentialKind.ClientSecret } credential
                ? protector.Unseal(document.TenantId, credential.Sealed)
                : null,
            Cloud = document.Cloud,
            SiemRegion = document.SiemRegion,
            Sources = [.. document.Sources],
            PollInterval = document.PollInterval,
            InitialLookback = document.InitialLookback,
            MachineGroups = [.. document.MachineGroups],
            Paused = document.Paused,
        };
    }
}
