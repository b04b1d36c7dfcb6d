using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;
using Defender.Simulator.Hosting;

namespace Defender.Simulator.Tests;

/// <summary>
/// One in-process simulator per test: real Kestrel over HTTPS on 127.0.0.1, the shared test certificate trusted
/// explicitly, and a hand-moved clock.
/// </summary>
internal sealed class TestSimulator : IAsyncDisposable
{
    public const string ClientId = "6f1c6ad9-3b1e-4d8e-9a53-5a4e6c1f0b11";
    public const string Secret = "s3cret-value~1";
    public const string IncidentsResource = "https://api.security.microsoft.com";
    public const string SiemResource = "https://graph.windows.net";

    /// <summary>Every test's clock starts here.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private TestSimulator(SimulatorHost host, TestClock clock, X509Certificate2 certificate)
    {
        Host = host;
        Clock = clock;
        Http = TrustedHttp.CreateClient(certificate, host.BaseAddress);
        Admin = new SimulatorAdminClient(Http);
    }

    public SimulatorHost Host { get; }

    public TestClock Clock { get; }

    public HttpClient Http { get; }

    public SimulatorAdminClient Admin { get; }

    public static async Task<TestSimulator> StartAsync(SimulatorOptions? options = null, TestClock? clock = null, X509Certificate2? certificate = null)
    {
        clock ??= new TestClock(Start);
        certificate ??= TestCertificates.Server;
        var host = await SimulatorHost.StartAsync(options ?? new SimulatorOptions(), certificate, clock);
        return new TestSimulator(host, clock, certificate);
    }

    /// <summary>Generator settings without randomness in visibility, so tests can reason about exact times.</summary>
    public static GeneratorSpec Quiet(long seed = 42, double incidentsPerMinute = 1, double siemPerMinute = 2) => new()
    {
        Seed = seed,
        IncidentsPerMinute = incidentsPerMinute,
        SiemAlertsPerMinute = siemPerMinute,
        VisibilityDelay = TimeSpan.Zero,
        VisibilityJitter = TimeSpan.Zero,
    };

    public Task<TenantSpec> AddTenantAsync(GeneratorSpec? generator = null, Guid? tenantId = null) =>
        Admin.PutTenantAsync(TenantSpec.Create(tenantId ?? Guid.NewGuid(), ClientId, Secret, generator ?? Quiet()));

    public Task<HttpResponseMessage> RequestTokenAsync(string tenant, IDictionary<string, string> form, bool v2 = false) =>
        Http.PostAsync($"{tenant}/oauth2/{(v2 ? "v2.0/" : "")}token", new FormUrlEncodedContent(form));

    public static Dictionary<string, string> V1Form(string resource = IncidentsResource, string clientId = ClientId, string secret = Secret) => new()
    {
        ["grant_type"] = "client_credentials",
        ["client_id"] = clientId,
        ["client_secret"] = secret,
        ["resource"] = resource,
    };

    public async Task<string> GetTokenAsync(Guid tenantId, string resource = IncidentsResource)
    {
        using var response = await RequestTokenAsync(tenantId.ToString(), V1Form(resource));
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("access_token").GetString()!;
    }

    public async Task<HttpResponseMessage> GetAsync(string pathAndQuery, string? token, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        configure?.Invoke(request);
        return await Http.SendAsync(request);
    }

    public async Task<JsonElement> GetJsonAsync(string pathAndQuery, string token)
    {
        using var response = await GetAsync(pathAndQuery, token);
        Assert.True(response.IsSuccessStatusCode, $"{pathAndQuery}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Every incident the API serves now, following $skip pages of <paramref name="top"/>.</summary>
    public async Task<List<JsonElement>> GetAllIncidentsAsync(string token, string? filter = null, int top = 100)
    {
        var all = new List<JsonElement>();
        for (var skip = 0; ; skip += top)
        {
            var query = $"api/incidents?$top={top}&$skip={skip}" + (filter is null ? "" : "&$filter=" + Uri.EscapeDataString(filter));
            var page = (await GetJsonAsync(query, token)).GetProperty("value").EnumerateArray().ToList();
            all.AddRange(page);
            if (page.Count < top)
            {
                return all;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}
