using Defender.Simulator.Diagnostics;

namespace Defender.Simulator.Tenants;

/// <summary>Certificate credentials, the tenant's cloud and its token request log.</summary>
internal sealed partial class SimulatedTenant
{
    /// <summary>How many token requests the token log keeps.</summary>
    public const int TokenLogCapacity = 200;

    /// <summary>The cloud the tenant lives in, or null for any (see <see cref="TenantDefinition.Cloud"/>).</summary>
    public string? Cloud { get; }

    /// <summary>The most recent token requests: which host, endpoint, credential kind and resource, and the outcome.</summary>
    public TokenRequestLog TokenRequests { get; } = new(TokenLogCapacity);

    /// <summary>
    /// The app's certificate credentials for checking a client assertion, with what the token endpoint answers with
    /// (<see cref="SecretCheck.AppNotFound"/> when there is no such app, else <see cref="SecretCheck.Valid"/>: the
    /// assertion itself decides). Certificates that do not parse are left out; they can never match.
    /// </summary>
    public CredentialResult FindCertificates(string clientId, out IReadOnlyList<RegisteredCertificate> certificates)
    {
        List<ClientCertificateDefinition> definitions;
        CredentialResult result;
        lock (_gate)
        {
            if (!_apps.TryGetValue(clientId, out var app))
            {
                certificates = [];
                return new CredentialResult(SecretCheck.AppNotFound, null, false);
            }

            definitions = [.. app.Certificates];
            result = new CredentialResult(SecretCheck.Valid, app.DisplayName ?? clientId, app.ConsentGranted);
        }

        certificates = [.. definitions.Select(RegisteredCertificate.TryParse).OfType<RegisteredCertificate>()];
        return result;
    }

    /// <summary>Adds a certificate to an app; returns its key id, or null when the app does not exist.</summary>
    public Guid? AddCertificate(string clientId, ClientCertificateDefinition certificate)
    {
        var copy = CopyCertificate(certificate);
        lock (_gate)
        {
            if (!_apps.TryGetValue(clientId, out var app))
            {
                return null;
            }

            app.Certificates.Add(copy);
            return copy.KeyId;
        }
    }

    public bool RemoveCertificate(string clientId, Guid keyId)
    {
        lock (_gate)
        {
            return _apps.TryGetValue(clientId, out var app) && app.Certificates.RemoveAll(c => c.KeyId == keyId) > 0;
        }
    }

    private static ClientCertificateDefinition CopyCertificate(ClientCertificateDefinition certificate) => new()
    {
        KeyId = certificate.KeyId ?? Guid.NewGuid(),
        Certificate = certificate.Certificate,
        StartsAt = certificate.StartsAt,
        ExpiresAt = certificate.ExpiresAt,
    };

    private static CertificateView CertificateView(ClientCertificateDefinition definition)
    {
        var parsed = RegisteredCertificate.TryParse(definition);
        return new CertificateView(definition.KeyId!.Value, parsed?.Thumbprint, parsed?.Certificate.Subject, parsed?.StartsAt, parsed?.ExpiresAt);
    }
}
