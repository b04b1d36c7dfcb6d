using System.Security.Cryptography.X509Certificates;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;
using Defender.Simulator.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Defender.Mssp.Defender.Tests.Credentials;

/// <summary>
/// The product's real Defender clients (MSAL, the shared HTTPS handler trusting the simulator through
/// <c>Defender:Http:TrustedCertificatesPath</c>) against an in-process simulator on the system clock: MSAL signs its
/// client assertions with the real time, so the simulator must judge them by it too.
/// </summary>
internal sealed class CertificateSimulator : IAsyncDisposable
{
    private readonly SimulatorHost _host;
    private readonly ServiceProvider _provider;
    private readonly HttpClient _http;

    private CertificateSimulator(SimulatorHost host, ServiceProvider provider, HttpClient http)
    {
        _host = host;
        _provider = provider;
        _http = http;
        Admin = new SimulatorAdminClient(http);
        Credentials = new SimulatorCredentialAdmin(http);
    }

    public Uri BaseAddress => _host.BaseAddress;

    public SimulatorAdminClient Admin { get; }

    public SimulatorCredentialAdmin Credentials { get; }

    public IServiceProvider Services => _provider;

    /// <summary>
    /// Starts a simulator with <paramref name="options"/> serving <paramref name="serverCertificate"/> (the TestKit's
    /// by default), and the clients with <paramref name="settings"/> (every endpoint at the simulator by default).
    /// </summary>
    public static async Task<CertificateSimulator> StartAsync(
        SimulatorOptions? options = null,
        X509Certificate2? serverCertificate = null,
        Func<Uri, IEnumerable<KeyValuePair<string, string?>>>? settings = null)
    {
        var certificate = serverCertificate ?? TestCertificates.Server;
        var host = await SimulatorHost.StartAsync(options ?? new SimulatorOptions(), certificate);
        var pem = TestCertificates.WritePublicPem(certificate, Path.Combine(Path.GetTempPath(), $"defender-simulator-{certificate.Thumbprint}.pem"));
        var values = new Dictionary<string, string?>((settings ?? DefenderEndpointsConfiguration.AllAt)(host.BaseAddress))
        {
            ["Defender:Http:TrustedCertificatesPath"] = pem,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddDefenderClients(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new CertificateSimulator(host, provider, TrustedHttp.CreateClient(certificate, host.BaseAddress));
    }

    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    /// <summary>A simulated tenant with one app (no secret) and <paramref name="certificate"/> registered on it.</summary>
    public async Task<Guid> AddCertificateTenantAsync(string clientId, X509Certificate2 certificate)
    {
        var tenant = await Admin.PutTenantAsync(new TenantSpec { TenantId = Guid.NewGuid(), Apps = [new AppSpec { ClientId = clientId }] });
        await Credentials.AddCertificateAsync(tenant.TenantId, clientId, certificate);
        return tenant.TenantId;
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        _http.Dispose();
        await _host.DisposeAsync();
    }
}
