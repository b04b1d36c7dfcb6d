using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Runtime.Development;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;

namespace Defender.Mssp.ClusterBench;

/// <summary>
/// Everything the silos need that is not a silo: Azurite, the simulator with N tenants on one multi-tenant app, the
/// simulator's certificate as a trust anchor, a sink folder, and per-silo content roots. Deleted on dispose.
/// </summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("defender-cluster-bench-").FullName;
    private readonly HttpClient _http;

    private BenchEnvironment(AzuriteServer azurite, RunningSimulator simulator, IReadOnlyList<Guid> tenants, string clientId, string secret)
    {
        Azurite = azurite;
        Simulator = simulator;
        TenantIds = tenants;
        ClientId = clientId;
        Secret = secret;
        _http = TrustedHttp.CreateClient(TestCertificates.Server, simulator.BaseAddress);
        Admin = new SimulatorAdminClient(_http);
        Container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("bench");
        CertificatePem = TestCertificates.WritePublicPem(TestCertificates.Server, Path.Combine(_root, "simulator.pem"));
    }

    public AzuriteServer Azurite { get; }

    public RunningSimulator Simulator { get; }

    public SimulatorAdminClient Admin { get; }

    public BlobContainerClient Container { get; }

    public IReadOnlyList<Guid> TenantIds { get; }

    public string ClientId { get; }

    public string Secret { get; }

    public string CertificatePem { get; }

    public static async Task<BenchEnvironment> StartAsync(int tenants)
    {
        var azurite = await AzuriteServer.StartNewAsync(new AzuriteServerOptions { SearchFrom = RepositoryPaths.Root });
        var simulator = await InProcessSimulator.StartAsync(TestCertificates.Server, timeProvider: null, CancellationToken.None);
        var clientId = Guid.NewGuid().ToString();
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        var ids = Enumerable.Range(0, tenants).Select(_ => Guid.NewGuid()).ToList();
        var environment = new BenchEnvironment(azurite, simulator, ids, clientId, secret);
        // A quiet world: a record a minute per source keeps the sink small; the figures are about ownership.
        var generator = new GeneratorSpec { History = TimeSpan.FromMinutes(10), IncidentsPerMinute = 1, SiemAlertsPerMinute = 1 };
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) =>
            await environment.Admin.PutTenantAsync(TenantSpec.Create(id, clientId, secret, generator), ct));
        return environment;
    }

    /// <summary>Writes a silo's content root (appsettings.json) and returns its folder.</summary>
    public string ContentRootFor(string siloId, BenchOptions options)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Storage:ConnectionString"] = Azurite.ConnectionString,
            ["Storage:Container"] = Container.Name,
            ["Sinks:JsonLines:Path"] = Path.Combine(_root, "sink"),
            ["Defender:Http:TrustedCertificatesPath"] = CertificatePem,
            ["Cluster:SiloId"] = siloId,
            ["Polling:IngestionDelay"] = "00:00:02",
        };
        foreach (var (key, value) in DefenderEndpointsConfiguration.AllAt(Simulator.BaseAddress))
        {
            settings[key] = value!;
        }

        foreach (var (key, value) in options.Cluster)
        {
            settings[$"Cluster:{key}"] = value;
        }

        for (var i = 0; i < TenantIds.Count; i++)
        {
            settings[$"Tenants:{i}:TenantId"] = TenantIds[i].ToString();
            settings[$"Tenants:{i}:ClientId"] = ClientId;
            settings[$"Tenants:{i}:ClientSecret"] = Secret;
            settings[$"Tenants:{i}:PollInterval"] = options.PollInterval.ToString("c");
            settings[$"Tenants:{i}:InitialLookback"] = "00:10:00";
        }

        var folder = Path.Combine(_root, siloId);
        SiloConfiguration.WriteAppSettings(folder, settings);
        return folder;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Simulator.DisposeAsync();
        await Azurite.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
