using System.Security.Cryptography;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Tenants;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Defender.Mssp.Defender.Tests.Successors;

/// <summary>
/// The product's real Defender clients — MSAL tokens, the shared HTTPS handler trusting the simulator's certificate
/// through <c>Defender:Http:TrustedCertificatesPath</c>, retries, budgets — against an in-process simulator on a
/// hand-moved clock, every host of every cloud pointed at it. One per test: the clock is the simulator's.
/// </summary>
internal sealed class SimulatedDefender : IAsyncDisposable
{
    /// <summary>The simulator's clock starts here; its tenants have records from two hours before.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly RunningSimulator _simulator;
    private readonly ServiceProvider _provider;

    private SimulatedDefender(RunningSimulator simulator, ManualTimeProvider clock, ServiceProvider provider, HttpClient adminHttp)
    {
        _simulator = simulator;
        _provider = provider;
        Clock = clock;
        AdminHttp = adminHttp;
        Admin = new SimulatorAdminClient(adminHttp);
    }

    /// <summary>The simulator's clock: moving it makes records arrive, change and become visible.</summary>
    public ManualTimeProvider Clock { get; }

    public SimulatorAdminClient Admin { get; }

    public HttpClient AdminHttp { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    public static async Task<SimulatedDefender> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var clock = new ManualTimeProvider(Start);
        var simulator = await InProcessSimulator.StartAsync(TestCertificates.Server, clock, CancellationToken.None);
        var pem = TestCertificates.WritePublicPem(
            TestCertificates.Server, Path.Combine(Path.GetTempPath(), $"defender-simulator-{TestCertificates.Server.Thumbprint}.pem"));
        var values = new Dictionary<string, string?>(DefenderEndpointsConfiguration.AllAt(simulator.BaseAddress))
        {
            ["Defender:Http:TrustedCertificatesPath"] = pem,
            ["Defender:SiloId"] = "silo-successors",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddDefenderClients(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new SimulatedDefender(simulator, clock, provider, TrustedHttp.CreateClient(TestCertificates.Server, simulator.BaseAddress));
    }

    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    /// <summary>A simulated tenant with one app and secret, and the product's settings for it.</summary>
    public async Task<TenantSettings> AddTenantAsync(GeneratorSpec generator, IReadOnlyList<string>? sources = null, double? updatedAlertShare = null)
    {
        var tenantId = Guid.NewGuid();
        var clientId = Guid.NewGuid().ToString();
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        await SimulatorTenantExtras.PutTenantAsync(AdminHttp, TenantSpec.Create(tenantId, clientId, secret, generator), sources, updatedAlertShare);
        return new TenantSettings { TenantId = tenantId.ToString(), ClientId = clientId, ClientSecret = new Secret(secret) };
    }

    /// <summary>The latest visible version of every record of <paramref name="source"/>: what a complete read returns.</summary>
    public async Task<Dictionary<string, DateTimeOffset>> LatestVisibleAsync(TenantSettings tenant, string source) =>
        (await Admin.GetTruthAsync(Guid.Parse(tenant.TenantId), source))
            .Where(t => t.Visible)
            .GroupBy(t => t.Id)
            .ToDictionary(g => g.Key, g => g.Max(t => t.LastUpdateTime));

    /// <summary>The queries (decoded) the tenant's calls to <paramref name="source"/> carried, in order.</summary>
    public async Task<List<string>> QueriesAsync(TenantSettings tenant, string source) =>
        [.. (await Admin.GetCallsAsync(Guid.Parse(tenant.TenantId))).Calls
            .Where(c => c.Source == source)
            .OrderBy(c => c.Time)
            .Select(c => Uri.UnescapeDataString(c.Query))];

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        AdminHttp.Dispose();
        await _simulator.DisposeAsync();
    }
}
