using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;
using Defender.Simulator.Hosting;
using Defender.Simulator.Tenants;

namespace Defender.Simulator.Tests.Identity;

/// <summary>
/// National clouds: the Host a request names picks the cloud (the real host names by default), whose login hosts know
/// only its tenants and issue only its resources, and whose API hosts accept only tokens for its resources.
/// </summary>
public sealed class CloudHostTests : IAsyncLifetime
{
    private const string GovLogin = "login.microsoftonline.us";
    private const string CommercialLogin = "login.microsoftonline.com";
    private const string GovXdr = "api-gov.security.microsoft.us";
    private const string CommercialXdr = "api.security.microsoft.com";
    private const string GovResource = "https://api-gov.security.microsoft.us";
    private const string CommercialResource = "https://api.security.microsoft.com";

    /// <summary>HttpClient validates the server against the Host header it sends, so the certificate names every host used.</summary>
    private static readonly X509Certificate2 ServerCertificate = TestCertificates.CreateServerCertificate(
        GovLogin, CommercialLogin, GovXdr, CommercialXdr, "gov.simulator.test");

    private readonly Guid _govTenant = Guid.NewGuid();
    private TestSimulator _sim = null!;

    public async Task InitializeAsync()
    {
        var options = new SimulatorOptions
        {
            Tenants =
            [
                new TenantDefinition
                {
                    TenantId = _govTenant,
                    Cloud = SimulatedCloudDefaults.GccHigh,
                    Apps = [new AppRegistration { ClientId = TestSimulator.ClientId, Secrets = [new ClientSecretDefinition { Value = TestSimulator.Secret }] }],
                    Generator = new GeneratorSettings { Seed = 7 },
                },
            ],
        };
        _sim = await TestSimulator.StartAsync(options, certificate: ServerCertificate);
    }

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    [Fact]
    public async Task A_gcc_high_tenant_gets_a_gcc_high_token_at_the_us_government_login_host()
    {
        using var response = await TokenAsync(_govTenant, GovLogin, GovResource);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var logged = Assert.Single(await new SimulatorCredentialAdmin(_sim.Http).GetTokenRequestsAsync(_govTenant));
        Assert.Equal((GovLogin, GovResource, 200), (logged.Host, logged.Resource, logged.Status));
    }

    [Fact]
    public async Task A_gcc_high_tenant_is_not_found_at_the_commercial_login_host()
    {
        using var response = await TokenAsync(_govTenant, CommercialLogin, GovResource);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(90002, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error_codes")[0].GetInt32());
    }

    [Fact]
    public async Task The_us_government_login_host_does_not_issue_commercial_resources()
    {
        using var response = await TokenAsync(_govTenant, GovLogin, CommercialResource);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(500011, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error_codes")[0].GetInt32());
    }

    [Fact]
    public async Task A_gcc_high_api_host_accepts_gcc_high_tokens_and_refuses_commercial_ones()
    {
        // Tokens as another login host would issue them: the loopback address belongs to no cloud and issues any resource.
        var govToken = await _sim.GetTokenAsync(_govTenant, GovResource);
        var commercialToken = await _sim.GetTokenAsync(_govTenant, CommercialResource);

        using var gov = await _sim.GetAsync("api/incidents", govToken, r => r.Headers.Host = GovXdr);
        using var commercialAtGov = await _sim.GetAsync("api/incidents", commercialToken, r => r.Headers.Host = GovXdr);
        using var govAtCommercial = await _sim.GetAsync("api/incidents", govToken, r => r.Headers.Host = CommercialXdr);
        using var commercial = await _sim.GetAsync("api/incidents", commercialToken, r => r.Headers.Host = CommercialXdr);

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.OK],
            new[] { gov.StatusCode, commercialAtGov.StatusCode, govAtCommercial.StatusCode, commercial.StatusCode });
        var calls = await new SimulatorCredentialAdmin(_sim.Http).GetCallsAsync(_govTenant);
        Assert.Contains(calls, c => c.Host == GovXdr && c.Audience == GovResource && c.Status == 200);
        Assert.Contains(calls, c => c.Host == CommercialXdr && c.Audience == CommercialResource && c.Status == 200);
    }

    [Fact]
    public async Task A_host_of_no_cloud_accepts_every_clouds_tokens()
    {
        var govToken = await _sim.GetTokenAsync(_govTenant, GovResource);
        var commercialToken = await _sim.GetTokenAsync(_govTenant, CommercialResource);

        using var gov = await _sim.GetAsync("api/incidents", govToken);
        using var commercial = await _sim.GetAsync("api/incidents", commercialToken);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (gov.StatusCode, commercial.StatusCode));
    }

    [Fact]
    public async Task Configured_hosts_join_a_cloud()
    {
        var options = new SimulatorOptions();
        options.Clouds[SimulatedCloudDefaults.GccHigh].Hosts.Add("gov.simulator.test");
        await using var sim = await TestSimulator.StartAsync(options, certificate: ServerCertificate);
        var tenant = await sim.AddTenantAsync();
        var commercialToken = await sim.GetTokenAsync(tenant.TenantId, CommercialResource);

        using var refused = await sim.GetAsync("api/incidents", commercialToken, r => r.Headers.Host = "gov.simulator.test");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private async Task<HttpResponseMessage> TokenAsync(Guid tenantId, string host, string resource)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{tenantId}/oauth2/token")
        {
            Content = new FormUrlEncodedContent(TestSimulator.V1Form(resource)),
        };
        request.Headers.Host = host;
        return await _sim.Http.SendAsync(request);
    }
}
