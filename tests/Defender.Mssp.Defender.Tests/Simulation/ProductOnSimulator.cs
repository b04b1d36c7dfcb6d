using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Tenants;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Defender.Mssp.Defender.Tests.Simulation;

/// <summary>
/// An in-process simulator over HTTPS on 127.0.0.1 and the product's real Defender clients (<c>AddDefenderClients</c>:
/// MSAL, the shared handler trusting the simulator's certificate as an extra anchor, retries, budgets, proxy),
/// configured by the test once the simulator's address is known. Logs are captured for secret checks.
/// </summary>
internal sealed class ProductOnSimulator : IAsyncDisposable
{
    private readonly RunningSimulator _simulator;
    private readonly string _pemPath;
    private ServiceProvider? _product;

    private ProductOnSimulator(RunningSimulator simulator, X509Certificate2 certificate, string pemPath)
    {
        _simulator = simulator;
        _pemPath = pemPath;
        AdminHttp = TrustedHttp.CreateClient(certificate, simulator.BaseAddress);
        Admin = new SimulatorAdminClient(AdminHttp);
    }

    /// <summary>The simulator's root, e.g. <c>https://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress => _simulator.BaseAddress;

    public int Port => _simulator.BaseAddress.Port;

    public SimulatorAdminClient Admin { get; }

    public HttpClient AdminHttp { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    public IServiceProvider Services => _product ?? throw new InvalidOperationException("Call UseProduct first.");

    /// <summary>Starts a simulator serving <paramref name="certificate"/> (the shared test certificate when null) on <paramref name="clock"/>.</summary>
    public static async Task<ProductOnSimulator> StartAsync(X509Certificate2? certificate = null, TimeProvider? clock = null)
    {
        certificate ??= TestCertificates.Server;
        var simulator = await InProcessSimulator.StartAsync(certificate, clock, CancellationToken.None);
        var pem = TestCertificates.WritePublicPem(
            certificate, Path.Combine(Path.GetTempPath(), $"defender-simulator-{certificate.Thumbprint}.pem"));
        return new ProductOnSimulator(simulator, certificate, pem);
    }

    /// <summary>
    /// Builds the product with every host at <paramref name="apiBase"/> (the simulator when null) plus
    /// <paramref name="settings"/>; <paramref name="services"/> registers overrides first (AddDefenderClients only
    /// adds what is missing).
    /// </summary>
    public IServiceProvider UseProduct(
        IDictionary<string, string?>? settings = null, Uri? apiBase = null, Action<IServiceCollection>? services = null)
    {
        var values = new Dictionary<string, string?>(DefenderEndpointsConfiguration.AllAt(apiBase ?? BaseAddress))
        {
            ["Defender:Http:TrustedCertificatesPath"] = _pemPath,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var collection = new ServiceCollection().AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        services?.Invoke(collection);
        collection.AddDefenderClients(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        _product = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return _product;
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A simulated tenant with one app and secret, and the product's settings for it.</summary>
    public async Task<TenantSettings> AddTenantAsync(GeneratorSpec? generator = null, ThrottlingSpec? throttling = null)
    {
        var tenantId = Guid.NewGuid();
        var clientId = Guid.NewGuid().ToString();
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        await Admin.PutTenantAsync(TenantSpec.Create(tenantId, clientId, secret, generator) with { Throttling = throttling });
        return new TenantSettings { TenantId = tenantId.ToString(), ClientId = clientId, ClientSecret = new Secret(secret) };
    }

    public async ValueTask DisposeAsync()
    {
        if (_product is not null)
        {
            await _product.DisposeAsync();
        }

        AdminHttp.Dispose();
        await _simulator.DisposeAsync();
        Logs.Dispose();
    }
}
