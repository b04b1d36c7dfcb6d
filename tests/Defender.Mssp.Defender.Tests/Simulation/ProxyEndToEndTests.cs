using System.Net;
using System.Security.Cryptography.X509Certificates;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.Http;
using Defender.Mssp.Defender.Sources;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Networking;
using Defender.Mssp.TestKit.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Defender.Mssp.Defender.Tests.Fakes.TestTenants;

namespace Defender.Mssp.Defender.Tests.Simulation;

/// <summary>
/// A tenant's token and API calls through a CONNECT proxy on loopback. The product knows the simulator only by host
/// names that nothing but the proxy resolves (<c>*.proxy.invalid</c>), so a call that skipped the proxy could not
/// succeed; the SIEM API is given at 127.0.0.1 and bypassed, and must reach the simulator without the proxy.
/// </summary>
public sealed class ProxyEndToEndTests
{
    private const string LoginHost = "login.proxy.invalid";
    private const string ApiHost = "xdr.proxy.invalid";

    private static readonly Lazy<X509Certificate2> Certificate = new(() => TestCertificates.CreateServerCertificate(LoginHost, ApiHost));

    private static ConnectProxy StartProxy(ProductOnSimulator sim, NetworkCredential? credentials = null) => ConnectProxy.Start(new ConnectProxyOptions
    {
        Credentials = credentials,
        Route = (host, _) => host.EndsWith(".proxy.invalid", StringComparison.Ordinal) ? ("127.0.0.1", sim.Port) : null,
    });

    /// <summary>Every host at the proxy-only API name, the login host its own, the SIEM hosts at 127.0.0.1.</summary>
    private static Dictionary<string, string?> Endpoints(ProductOnSimulator sim)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (key, _) in DefenderEndpointsConfiguration.AllAt(new Uri($"https://{ApiHost}:{sim.Port}")))
        {
            values[key] = key.EndsWith(":" + nameof(DefenderCloudEndpoints.AuthorityHost), StringComparison.Ordinal) ? $"https://{LoginHost}:{sim.Port}"
                : key.Contains(":" + nameof(DefenderCloudEndpoints.SiemBases) + ":", StringComparison.Ordinal) ? $"https://127.0.0.1:{sim.Port}"
                : $"https://{ApiHost}:{sim.Port}";
        }

        return values;
    }

    private static Dictionary<string, string?> With(Dictionary<string, string?> values, params (string Key, string? Value)[] extra)
    {
        foreach (var (key, value) in extra)
        {
            values[key] = value;
        }

        return values;
    }

    private static async Task<(List<DefenderRecord> Incidents, List<DefenderRecord> Siem)> ReadBothAsync(ProductOnSimulator sim, TenantSettings tenant)
    {
        var now = DateTimeOffset.UtcNow;
        var window = new RecordWindow(now.AddHours(-2), now);
        var incidents = await sim.Get<IncidentsSource>().ReadAsync(tenant, window, CancellationToken.None).ToListAsync();
        var siem = await sim.Get<SiemSource>().ReadAsync(tenant, window, CancellationToken.None).ToListAsync();
        return (incidents, siem);
    }

    /// <summary>The CONNECT log against the simulator's own records of the tenant's token and API calls.</summary>
    private static async Task AssertEveryCallButTheBypassedOnesWentThroughTheProxyAsync(
        ProductOnSimulator sim, ConnectProxy proxy, TenantSettings tenant)
    {
        var tunnels = proxy.Tunnels;
        var proxied = new[] { $"{LoginHost}:{sim.Port}", $"{ApiHost}:{sim.Port}" };
        Assert.Contains(proxied[0], tunnels);                                   // the token request (MSAL)
        Assert.Contains(proxied[1], tunnels);                                   // the incidents calls
        Assert.All(tunnels, target => Assert.Contains(target, proxied));        // nothing else, the bypassed host least of all
        Assert.DoesNotContain(proxy.Requests, r => r.Method != "CONNECT");

        var calls = (await sim.Admin.GetCallsAsync(Guid.Parse(tenant.TenantId))).Calls;
        var incidents = calls.Where(c => c.Source == DefenderSources.Incidents).ToList();
        var siem = calls.Where(c => c.Source == DefenderSources.Siem).ToList();
        Assert.NotEmpty(incidents);
        Assert.NotEmpty(siem);
        Assert.All(incidents, c => Assert.Equal((proxied[1], 200), (c.Host, c.Status)));
        Assert.All(siem, c => Assert.Equal(($"127.0.0.1:{sim.Port}", 200), (c.Host, c.Status)));
        Assert.Subset(tunnels.ToHashSet(), incidents.Select(c => c.Host!).ToHashSet());

        // Token requests reached the simulator only by the login host, which only the proxy resolves.
        var tokens = (await sim.Admin.GetStatsAsync(Guid.Parse(tenant.TenantId))).TokenRequests;
        Assert.True(tokens.Succeeded >= 1);
        Assert.Equal(0, tokens.Failed);
    }

    [Fact]
    public async Task A_configured_proxy_carries_every_token_and_api_call_of_a_tenant_except_bypassed_hosts()
    {
        await using var sim = await ProductOnSimulator.StartAsync(Certificate.Value);
        await using var proxy = StartProxy(sim);
        sim.UseProduct(With(Endpoints(sim),
            ("Defender:Http:Proxy:Address", proxy.Address.ToString()),
            ("Defender:Http:Proxy:BypassList:0", "127.0.0.1")));
        var tenant = await sim.AddTenantAsync();

        var (incidents, siem) = await ReadBothAsync(sim, tenant);

        Assert.NotEmpty(incidents);
        Assert.NotEmpty(siem);
        await AssertEveryCallButTheBypassedOnesWentThroughTheProxyAsync(sim, proxy, tenant);
    }

    [Fact]
    public async Task Https_proxy_and_no_proxy_from_the_environment_are_honoured_the_same_way()
    {
        await using var sim = await ProductOnSimulator.StartAsync(Certificate.Value);
        await using var proxy = StartProxy(sim);
        var environment = new Dictionary<string, string>
        {
            ["HTTPS_PROXY"] = proxy.Address.ToString(),
            ["NO_PROXY"] = "localhost,127.0.0.1",
        };
        sim.UseProduct(Endpoints(sim), services: services => services.AddSingleton(sp => new DefenderHttpHandlerFactory(
            sp.GetRequiredService<IOptions<DefenderHttpOptions>>(),
            ProxyEnvironment.From(name => environment.GetValueOrDefault(name)),
            sp.GetRequiredService<ILogger<DefenderHttpHandlerFactory>>())));
        var tenant = await sim.AddTenantAsync();

        var (incidents, siem) = await ReadBothAsync(sim, tenant);

        Assert.NotEmpty(incidents);
        Assert.NotEmpty(siem);
        await AssertEveryCallButTheBypassedOnesWentThroughTheProxyAsync(sim, proxy, tenant);
        Assert.Contains(sim.Logs.Lines, line => line.Contains("from environment", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Proxy_credentials_answer_the_proxys_challenge_and_the_password_is_never_logged()
    {
        const string Password = "pr0xy-Pa55w0rd!";
        await using var sim = await ProductOnSimulator.StartAsync(Certificate.Value);
        await using var proxy = StartProxy(sim, new NetworkCredential("mssp-svc", Password));
        sim.UseProduct(With(Endpoints(sim),
            ("Defender:Http:Proxy:Address", proxy.Address.ToString()),
            ("Defender:Http:Proxy:BypassList:0", "127.0.0.1"),
            ("Defender:Http:Proxy:Username", "mssp-svc"),
            ("Defender:Http:Proxy:Password", Password)));
        var tenant = await sim.AddTenantAsync();

        var (incidents, _) = await ReadBothAsync(sim, tenant);

        Assert.NotEmpty(incidents);
        Assert.Contains(proxy.Requests, r => r.Status == 407);
        Assert.All(proxy.Requests.Where(r => r.Status == 200), r => Assert.True(r.Authorized));
        await AssertEveryCallButTheBypassedOnesWentThroughTheProxyAsync(sim, proxy, tenant);
        Assert.NotEmpty(sim.Logs.Lines);
        Assert.DoesNotContain(sim.Logs.Lines, line => line.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_proxy_refusing_the_credentials_stops_the_token_request_before_it_reaches_entra()
    {
        await using var sim = await ProductOnSimulator.StartAsync(Certificate.Value);
        await using var proxy = StartProxy(sim, new NetworkCredential("mssp-svc", "the-right-one"));
        sim.UseProduct(With(Endpoints(sim),
            ("Defender:Http:Proxy:Address", proxy.Address.ToString()),
            ("Defender:Http:Proxy:Username", "mssp-svc"),
            ("Defender:Http:Proxy:Password", "a-wrong-one"),
            ("Defender:Tokens:RetryOnceOn5xx", "false")));
        var tenant = await sim.AddTenantAsync();

        var error = await Assert.ThrowsAsync<TokenAcquisitionException>(
            () => sim.Get<IncidentsSource>().ReadAsync(tenant, Day, CancellationToken.None).ToListAsync());

        Assert.DoesNotContain("a-wrong-one", error.ToString());
        Assert.DoesNotContain(proxy.Requests, r => r.Status == 200);
        Assert.Equal(0, (await sim.Admin.GetStatsAsync(Guid.Parse(tenant.TenantId))).TokenRequests.Succeeded);
    }

    [Fact]
    public async Task Without_the_proxy_the_proxy_only_host_names_are_unreachable()
    {
        // The control for the tests above: the same configuration minus the proxy cannot reach the simulator at all.
        await using var sim = await ProductOnSimulator.StartAsync(Certificate.Value);
        sim.UseProduct(With(Endpoints(sim),
            ("Defender:Http:Proxy:UseEnvironment", "false"),
            ("Defender:Tokens:RetryOnceOn5xx", "false")));
        var tenant = await sim.AddTenantAsync();

        await Assert.ThrowsAsync<TokenAcquisitionException>(
            () => sim.Get<IncidentsSource>().ReadAsync(tenant, Day, CancellationToken.None).ToListAsync());

        Assert.Equal(0, (await sim.Admin.GetStatsAsync(Guid.Parse(tenant.TenantId))).TokenRequests.Succeeded);
    }
}
