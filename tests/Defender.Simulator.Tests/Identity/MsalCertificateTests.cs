using System.Net;
using System.Net.Http.Headers;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;
using Microsoft.Identity.Client;

namespace Defender.Simulator.Tests.Identity;

/// <summary>MSAL.NET 4.92's certificate credential (its own client assertion, with and without x5c) against the simulator.</summary>
public sealed class MsalCertificateTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    private const string Scope = "https://api.security.microsoft.com/.default";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_confidential_client_with_the_registered_certificate_gets_a_token_the_api_accepts(bool sendX5C)
    {
        using var certificate = ClientCertificates.Create();
        var tenant = await AddTenantAsync("msal-cert-app", certificate);
        var app = Builder("msal-cert-app", tenant.TenantId)
            .WithCertificate(certificate, sendX5C)
            .Build();

        var result = await app.AcquireTokenForClient([Scope]).ExecuteAsync();

        Assert.Equal(HttpStatusCode.OK, await CallIncidentsAsync(result.AccessToken));
        var logged = Assert.Single(await Credentials().GetTokenRequestsAsync(tenant.TenantId));
        Assert.Equal(("certificate", 200), (logged.Credential, logged.Status));
    }

    [Fact]
    public async Task A_confidential_client_with_another_certificate_gets_AADSTS700027()
    {
        using var registered = ClientCertificates.Create();
        using var other = ClientCertificates.Create("CN=not registered");
        var tenant = await AddTenantAsync("msal-cert-app-2", registered);
        var app = Builder("msal-cert-app-2", tenant.TenantId).WithCertificate(other).Build();

        var error = await Assert.ThrowsAsync<MsalServiceException>(() => app.AcquireTokenForClient([Scope]).ExecuteAsync());

        Assert.Equal(("invalid_client", 401), (error.ErrorCode, error.StatusCode));
        Assert.Contains("AADSTS700027", error.Message, StringComparison.Ordinal);
    }

    private async Task<TenantSpec> AddTenantAsync(string clientId, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var tenant = await simulator.Admin.PutTenantAsync(new TenantSpec
        {
            TenantId = Guid.NewGuid(),
            Apps = [new AppSpec { ClientId = clientId }],
        });
        await Credentials().AddCertificateAsync(tenant.TenantId, clientId, certificate);
        return tenant;
    }

    private SimulatorCredentialAdmin Credentials() => new(simulator.CreateHttpClient());

    private ConfidentialClientApplicationBuilder Builder(string clientId, Guid tenantId) =>
        ConfidentialClientApplicationBuilder.Create(clientId)
            .WithAuthority(simulator.Authority(tenantId).ToString())
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(new TrustingFactory(simulator.CreateHttpClient()));

    private async Task<HttpStatusCode> CallIncidentsAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/incidents?$top=1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await simulator.CreateHttpClient().SendAsync(request);
        return response.StatusCode;
    }

    private sealed class TrustingFactory(HttpClient client) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => client;
    }
}
