using System.Net;
using System.Net.Http.Headers;
using Defender.Mssp.TestKit.Simulation;
using Microsoft.Identity.Client;

namespace Defender.Simulator.Tests;

/// <summary>
/// MSAL.NET 4.92 (the product's token client) against the simulator, hosted through the TestKit's
/// <see cref="SimulatorFixture"/> so that fixture is proven too.
/// </summary>
public sealed class MsalCompatibilityTests(SimulatorFixture simulator) : IClassFixture<SimulatorFixture>
{
    private const string Scope = "https://api.security.microsoft.com/.default";

    [Fact]
    public async Task Confidential_client_gets_a_token_the_api_accepts_and_caches_it()
    {
        var tenant = await simulator.AddTenantAsync("msal-app-1", "msal-secret-1");
        var app = Builder("msal-app-1", "msal-secret-1")
            .WithAuthority(simulator.Authority(tenant.TenantId).ToString())
            .WithInstanceDiscovery(false)
            .Build();

        var first = await app.AcquireTokenForClient([Scope]).ExecuteAsync();
        var second = await app.AcquireTokenForClient([Scope]).ExecuteAsync();

        Assert.Equal(TokenSource.IdentityProvider, first.AuthenticationResultMetadata.TokenSource);
        Assert.Equal(TokenSource.Cache, second.AuthenticationResultMetadata.TokenSource);
        Assert.Equal(1, (await simulator.Admin.GetStatsAsync(tenant.TenantId)).TokenRequests.Succeeded);
        Assert.Equal(HttpStatusCode.OK, await CallIncidentsAsync(first.AccessToken));
    }

    [Fact]
    public async Task Confidential_client_can_use_the_simulators_instance_discovery_endpoint()
    {
        var tenant = await simulator.AddTenantAsync("msal-app-2", "msal-secret-2");

        // MSAL requires validateAuthority: false with a custom instance discovery endpoint.
        var app = Builder("msal-app-2", "msal-secret-2")
            .WithAuthority(simulator.Authority(tenant.TenantId).ToString(), validateAuthority: false)
            .WithInstanceDiscoveryMetadata(new Uri(simulator.BaseAddress, "common/discovery/instance"))
            .Build();

        var result = await app.AcquireTokenForClient([Scope]).ExecuteAsync();

        Assert.Equal(HttpStatusCode.OK, await CallIncidentsAsync(result.AccessToken));
    }

    [Fact]
    public async Task Confidential_client_works_with_the_simulator_as_an_oidc_authority()
    {
        var tenant = await simulator.AddTenantAsync("msal-app-3", "msal-secret-3");
        var app = Builder("msal-app-3", "msal-secret-3")
            .WithOidcAuthority(new Uri(simulator.BaseAddress, $"{tenant.TenantId}/v2.0").ToString())
            .Build();

        var result = await app.AcquireTokenForClient([Scope]).ExecuteAsync();

        Assert.Equal(HttpStatusCode.OK, await CallIncidentsAsync(result.AccessToken));
    }

    [Fact]
    public async Task One_multi_tenant_app_gets_a_token_per_tenant()
    {
        var first = await simulator.AddTenantAsync("msal-shared", "shared-secret");
        var second = await simulator.AddTenantAsync("msal-shared", "shared-secret");
        var app = Builder("msal-shared", "shared-secret")
            .WithAuthority(simulator.Authority(first.TenantId).ToString())
            .WithInstanceDiscovery(false)
            .Build();

        var a = await app.AcquireTokenForClient([Scope]).WithTenantId(first.TenantId.ToString()).ExecuteAsync();
        var b = await app.AcquireTokenForClient([Scope]).WithTenantId(second.TenantId.ToString()).ExecuteAsync();

        Assert.Equal(first.TenantId.ToString(), a.TenantId);
        Assert.Equal(second.TenantId.ToString(), b.TenantId);
        Assert.Equal(1, (await simulator.Admin.GetStatsAsync(second.TenantId)).TokenRequests.Succeeded);
    }

    [Fact]
    public async Task Wrong_secret_surfaces_as_msal_service_exception_with_the_aadsts_code()
    {
        var tenant = await simulator.AddTenantAsync("msal-app-4", "msal-secret-4");
        var app = Builder("msal-app-4", "not-the-secret")
            .WithAuthority(simulator.Authority(tenant.TenantId).ToString())
            .WithInstanceDiscovery(false)
            .Build();

        var error = await Assert.ThrowsAsync<MsalServiceException>(() => app.AcquireTokenForClient([Scope]).ExecuteAsync());

        Assert.Equal("invalid_client", error.ErrorCode);
        Assert.Equal(401, error.StatusCode);
        Assert.Contains("AADSTS7000215", error.Message);
    }

    private ConfidentialClientApplicationBuilder Builder(string clientId, string secret) =>
        ConfidentialClientApplicationBuilder.Create(clientId)
            .WithClientSecret(secret)
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
