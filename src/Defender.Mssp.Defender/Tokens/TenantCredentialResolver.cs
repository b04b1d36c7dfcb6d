using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Tenants;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Defender.Tokens;

/// <summary>
/// The product's resolver: <see cref="TenantSettings.ClientCertificate"/> when set, else
/// <see cref="TenantSettings.ClientSecret"/>. The certificate wins when both are set (see <see cref="TenantSettings"/>).
/// </summary>
public sealed class TenantCredentialResolver(IOptions<DefenderTokenOptions>? options = null) : ITenantCredentialResolver
{
    private readonly bool _sendCertificateChain = options?.Value.SendCertificateChain ?? false;

    public TenantClientCredential? Resolve(TenantSettings tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (tenant.ClientCertificate is { } certificate)
        {
            return new ClientCertificateCredential(certificate, _sendCertificateChain);
        }

        return tenant.ClientSecret is { } secret && secret.Reveal().Length > 0 ? new ClientSecretCredential(secret) : null;
    }
}
