using Defender.Mssp.Runtime.DataProtection;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Runtime.Tenants;

/// <summary>Turns a stored tenant document into the <see cref="TenantSettings"/> a grain runs with.</summary>
public static class TenantSettingsMapping
{
    /// <summary>
    /// The document's settings, its credential unsealed into a <see cref="Secret"/> or <see cref="TenantCertificate"/>,
    /// neither of which ever prints itself, and its sinks' secrets unsealed likewise.
    /// </summary>
    /// <exception cref="SecretUnsealException">The sealed credential cannot be unsealed with this key ring.</exception>
    /// <exception cref="InvalidTenantCertificateException">The unsealed certificate cannot be loaded here.</exception>
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
            ClientCertificate = document.Credential is { Kind: CredentialKind.ClientCertificate } certificate
                ? protector.UnsealCertificate(document.TenantId, certificate.Sealed)
                : null,
            Cloud = document.Cloud,
            SiemRegion = document.SiemRegion,
            XdrRegion = document.XdrRegion,
            Sources = [.. document.Sources],
            PollInterval = document.PollInterval,
            InitialLookback = document.InitialLookback,
            MachineGroups = [.. document.MachineGroups],
            Paused = document.Paused,
            Sinks = document.Sinks?.Unseal(document.TenantId, protector),
        };
    }
}
