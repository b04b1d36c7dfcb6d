using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Defender.Mssp.TestKit.Simulation;

/// <summary>
/// The simulator's admin API for certificate credentials and its token and call logs with cloud details (hosts and
/// audiences), over HTTP/JSON only. Give it an <see cref="HttpClient"/> like <see cref="SimulatorAdminClient"/>'s
/// (e.g. <see cref="SimulatorFixture.CreateHttpClient"/>).
/// </summary>
public sealed class SimulatorCredentialAdmin(HttpClient http)
{
    /// <summary>Registers <paramref name="certificate"/>'s public part on the app; returns its key id.</summary>
    public async Task<Guid> AddCertificateAsync(
        Guid tenantId, string clientId, X509Certificate2 certificate, DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync(
            $"simulator/tenants/{tenantId}/apps/{Uri.EscapeDataString(clientId)}/certificates",
            new { certificate = ClientCertificates.PublicPem(certificate), expiresAt }, SimulatorAdminClient.JsonOptions, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Adding a certificate answered {(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(body).RootElement.GetProperty("keyId").GetGuid();
    }

    public async Task RemoveCertificateAsync(Guid tenantId, string clientId, Guid keyId, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync(
            $"simulator/tenants/{tenantId}/apps/{Uri.EscapeDataString(clientId)}/certificates/{keyId}", cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The tenant's most recent token requests (host, endpoint, credential kind, resource, outcome).</summary>
    public async Task<IReadOnlyList<SimulatorTokenRequest>> GetTokenRequestsAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        var log = await http.GetFromJsonAsync<TokenRequestLog>(
            $"simulator/tenants/{tenantId}/token-requests", SimulatorAdminClient.JsonOptions, cancellationToken).ConfigureAwait(false);
        return log?.Requests ?? [];
    }

    /// <summary>The tenant's most recent API calls with the host and token audience of each.</summary>
    public async Task<IReadOnlyList<SimulatorCloudCall>> GetCallsAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        var log = await http.GetFromJsonAsync<CallLog>(
            $"simulator/tenants/{tenantId}/calls", SimulatorAdminClient.JsonOptions, cancellationToken).ConfigureAwait(false);
        return log?.Calls ?? [];
    }

    private sealed record TokenRequestLog(Guid TenantId, List<SimulatorTokenRequest> Requests);

    private sealed record CallLog(Guid TenantId, long Total, List<SimulatorCloudCall> Calls);
}

/// <summary>A token request as the simulator logged it; <see cref="Credential"/> is <c>secret</c> or <c>certificate</c>.</summary>
public sealed record SimulatorTokenRequest(
    DateTimeOffset Time, string? Host, string Endpoint, string? ClientId, string? Credential, string? Resource, int Status, string? Error);

/// <summary>An API call with the Host it was sent to and the audience of its token (null when the token was refused).</summary>
public sealed record SimulatorCloudCall(DateTimeOffset Time, string Path, string Source, int Status, string? Host, string? ClientId, string? Audience);
