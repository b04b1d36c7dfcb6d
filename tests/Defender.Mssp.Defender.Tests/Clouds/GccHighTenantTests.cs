using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.Sources;
using Defender.Mssp.Defender.Tests.Credentials;
using Defender.Mssp.Defender.Tests.Fakes;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;
using Defender.Mssp.TestKit;
using Defender.Simulator.Hosting;
using Defender.Simulator.Tenants;

namespace Defender.Mssp.Defender.Tests.Clouds;

/// <summary>
/// A GCC High tenant against a simulator that tells the clouds apart by host: each cloud's login, XDR, Defender for
/// Endpoint and Graph hosts are loopback aliases of their own (127.0.0.11–14 for GCC High, .21–24 for commercial),
/// mapped to the cloud in the simulator's configuration and in the product's. The simulator's logs show which host
/// and audience every request used.
/// </summary>
public sealed class GccHighTenantTests : IAsyncLifetime
{
    private const string GovXdrResource = DefenderHosts.GovXdrApi;
    private const string CommercialXdrResource = DefenderHosts.CommercialXdrApi;
    private const string Secret = "gov-secret~value-1";

    private static readonly byte[] GovOctets = [11, 12, 13, 14];
    private static readonly byte[] CommercialOctets = [21, 22, 23, 24];

    private readonly Guid _tenantId = Guid.NewGuid();
    private readonly string _clientId = Guid.NewGuid().ToString();
    private readonly X509Certificate2 _clientCertificate = ClientCertificates.Create("CN=gcc high client");
    private readonly X509Certificate2 _serverCertificate = ClientCertificates.CreateServerCertificate(
        GovOctets.Concat(CommercialOctets).Select(octet => new IPAddress([127, 0, 0, octet])));

    private readonly List<LoopbackAlias> _aliases = [];
    private CertificateSimulator _simulator = null!;

    private LoopbackAlias GovLogin => _aliases[0];

    private LoopbackAlias GovXdr => _aliases[1];

    public async Task InitializeAsync()
    {
        var options = new SimulatorOptions
        {
            Tenants =
            [
                new TenantDefinition
                {
                    TenantId = _tenantId,
                    Cloud = SimulatedCloudDefaults.GccHigh,
                    Apps =
                    [
                        new AppRegistration
                        {
                            ClientId = _clientId,
                            Secrets = [new ClientSecretDefinition { Value = Secret }],
                            Certificates = [new ClientCertificateDefinition { Certificate = ClientCertificates.PublicPem(_clientCertificate) }],
                        },
                    ],
                },
            ],
        };
        options.Clouds[SimulatedCloudDefaults.GccHigh].Hosts = [.. GovOctets.Select(Address)];
        options.Clouds[SimulatedCloudDefaults.Commercial].Hosts = [.. CommercialOctets.Select(Address)];

        _simulator = await CertificateSimulator.StartAsync(options, _serverCertificate, ProductSettings);
    }

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        foreach (var alias in _aliases)
        {
            await alias.DisposeAsync();
        }
    }

    [Fact]
    public async Task Its_token_comes_from_the_gcc_high_login_host_for_the_gcc_high_resource_and_its_calls_go_to_gcc_high_hosts_only()
    {
        var now = DateTimeOffset.UtcNow;

        var records = await _simulator.Get<IncidentsSource>().ReadAsync(Tenant(), new RecordWindow(now.AddHours(-3), now), default).ToListAsync();

        Assert.NotEmpty(records);
        var token = Assert.Single(await _simulator.Credentials.GetTokenRequestsAsync(_tenantId));
        Assert.Equal((Host(GovLogin), GovXdrResource, "certificate", 200), (token.Host, token.Resource, token.Credential, token.Status));
        var calls = await _simulator.Credentials.GetCallsAsync(_tenantId);
        Assert.NotEmpty(calls);
        Assert.All(calls, call => Assert.Equal((Host(GovXdr), GovXdrResource, 200), (call.Host, call.Audience, call.Status)));
    }

    [Fact]
    public async Task A_token_for_the_commercial_resource_is_refused_at_the_gcc_high_api_host()
    {
        // The simulator's own address belongs to no cloud, so it issues a commercial token for the test to misuse.
        using var direct = TrustedHttpFor(_simulator.BaseAddress);
        var commercialToken = await TokenAsync(direct, CommercialXdrResource);
        var govToken = await TokenAsync(direct, GovXdrResource);
        using var govApi = TrustedHttpFor(GovXdr.HttpsBase);

        Assert.Equal(HttpStatusCode.Unauthorized, await IncidentsAsync(govApi, commercialToken));
        Assert.Equal(HttpStatusCode.OK, await IncidentsAsync(govApi, govToken));
        var refused = (await _simulator.Credentials.GetCallsAsync(_tenantId)).Where(c => c.Status == 401);
        Assert.All(refused, call => Assert.Equal(Host(GovXdr), call.Host));
    }

    [Fact]
    public async Task The_tenant_configured_as_commercial_is_not_found_at_the_commercial_login_host_and_calls_no_api()
    {
        var now = DateTimeOffset.UtcNow;
        var misconfigured = Tenant() with { Cloud = DefenderCloud.Commercial };

        var error = await Assert.ThrowsAsync<TokenAcquisitionException>(async () =>
            await _simulator.Get<IncidentsSource>().ReadAsync(misconfigured, new RecordWindow(now.AddHours(-1), now), default).ToListAsync());

        Assert.Equal("AADSTS90002", error.AadstsCode);
        var token = Assert.Single(await _simulator.Credentials.GetTokenRequestsAsync(_tenantId));
        Assert.Equal(Host(_aliases[4]), token.Host);
        Assert.Empty(await _simulator.Credentials.GetCallsAsync(_tenantId));
    }

    /// <summary>Every GCC High and commercial host of the product at its own alias of the simulator.</summary>
    private List<KeyValuePair<string, string?>> ProductSettings(Uri simulator)
    {
        _aliases.AddRange(GovOctets.Concat(CommercialOctets).Select(octet => LoopbackAlias.Start(octet, simulator)));
        var settings = new List<KeyValuePair<string, string?>>();
        foreach (var (cloud, first) in new[] { (DefenderCloud.GccHigh, 0), (DefenderCloud.Commercial, 4) })
        {
            var prefix = $"{DefenderEndpointsOptions.SectionName}:{cloud}:";
            settings.Add(new(prefix + nameof(DefenderCloudEndpoints.AuthorityHost), _aliases[first].HttpsBase.ToString()));
            settings.Add(new(prefix + nameof(DefenderCloudEndpoints.XdrApiBase), _aliases[first + 1].HttpsBase.ToString()));
            settings.Add(new(prefix + nameof(DefenderCloudEndpoints.EndpointApiBase), _aliases[first + 2].HttpsBase.ToString()));
            settings.Add(new(prefix + nameof(DefenderCloudEndpoints.GraphBase), _aliases[first + 3].HttpsBase.ToString()));
        }

        return settings;
    }

    private TenantSettings Tenant() => new()
    {
        TenantId = _tenantId.ToString(),
        ClientId = _clientId,
        Cloud = DefenderCloud.GccHigh,
        Sources = [DefenderSources.Incidents],
        ClientCertificate = TenantCertificate.FromPkcs12(ClientCertificates.ToPfx(_clientCertificate), null),
    };

    private HttpClient TrustedHttpFor(Uri baseAddress) => TestKit.Simulation.TrustedHttp.CreateClient(_serverCertificate, baseAddress);

    private async Task<string> TokenAsync(HttpClient http, string resource)
    {
        using var response = await http.PostAsync($"{_tenantId}/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = _clientId,
            ["client_secret"] = Secret,
            ["resource"] = resource,
        }));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    private static async Task<HttpStatusCode> IncidentsAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/incidents?$top=1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static string Address(byte octet) => $"127.0.0.{octet}";

    private static string Host(LoopbackAlias alias) => $"{alias.EndPoint.Address}:{alias.EndPoint.Port}";
}
