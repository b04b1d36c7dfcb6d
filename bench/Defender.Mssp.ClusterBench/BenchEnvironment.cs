using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Runtime.Development;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;
using Defender.Simulator.Hosting;

namespace Defender.Mssp.ClusterBench;

/// <summary>
/// Everything the silos need that is not a silo: Azurite (its requests counted), the simulator with N tenants on one
/// multi-tenant app, the simulator's certificate as a trust anchor, a sink folder, and per-silo content roots.
/// Deleted on dispose.
/// </summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    /// <summary>
    /// Calls the simulator remembers per tenant: enough for every page of a million-alert backlog (the throughput
    /// baseline replays them) and for every poll of a long failover run. Entries are kept only as calls come.
    /// </summary>
    private const int CallLogCapacity = 100_000;

    private readonly string _root = Directory.CreateTempSubdirectory("defender-cluster-bench-").FullName;
    private readonly HttpClient _http;

    private BenchEnvironment(
        AzuriteServer azurite, AzuriteRequestCounter requests, RunningSimulator simulator, IReadOnlyList<Guid> tenants, string clientId, string secret)
    {
        Azurite = azurite;
        AzuriteRequests = requests;
        Simulator = simulator;
        TenantIds = tenants;
        ClientId = clientId;
        Secret = secret;
        _http = TrustedHttp.CreateClient(TestCertificates.Server, simulator.BaseAddress);
        Admin = new SimulatorAdminClient(_http);
        Throttling = new SimulatorThrottlingClient(_http);
        Container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("bench");
        CertificatePem = TestCertificates.WritePublicPem(TestCertificates.Server, Path.Combine(_root, "simulator.pem"));
    }

    public AzuriteServer Azurite { get; }

    /// <summary>Every request Azurite served, by kind.</summary>
    public AzuriteRequestCounter AzuriteRequests { get; }

    public RunningSimulator Simulator { get; }

    public SimulatorAdminClient Admin { get; }

    /// <summary>The simulator's API rate limits for every tenant (a replay switches them off while it runs).</summary>
    public SimulatorThrottlingClient Throttling { get; }

    public BlobContainerClient Container { get; }

    public IReadOnlyList<Guid> TenantIds { get; }

    public string ClientId { get; }

    public string Secret { get; }

    public string CertificatePem { get; }

    /// <summary>Where the silos' JSON Lines sink writes.</summary>
    public string SinkFolder => Path.Combine(_root, "sink");

    /// <summary>A quiet world: a record a minute per source keeps the sink small; the failover figures are about ownership.</summary>
    public static Task<BenchEnvironment> StartAsync(int tenants) =>
        StartAsync(tenants, (id, clientId, secret) => TenantSpec.Create(
            id, clientId, secret, new GeneratorSpec { History = TimeSpan.FromMinutes(10), IncidentsPerMinute = 1, SiemAlertsPerMinute = 1 }));

    /// <summary>Starts Azurite and the simulator and creates <paramref name="tenants"/> tenants as <paramref name="spec"/> describes them.</summary>
    public static async Task<BenchEnvironment> StartAsync(int tenants, Func<Guid, string, string, TenantSpec> spec)
    {
        var requests = new AzuriteRequestCounter();
        // Not silent: its access log is how the requests are counted.
        var azurite = await AzuriteServer.StartNewAsync(new AzuriteServerOptions { SearchFrom = RepositoryPaths.Root, Silent = false }, requests);
        var host = await SimulatorHost.StartAsync(new SimulatorOptions { CallLogCapacity = CallLogCapacity }, TestCertificates.Server);
        var simulator = new RunningSimulator(host.BaseAddress, host);
        var clientId = Guid.NewGuid().ToString();
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        var ids = Enumerable.Range(0, tenants).Select(_ => Guid.NewGuid()).ToList();
        var environment = new BenchEnvironment(azurite, requests, simulator, ids, clientId, secret);
        var seeding = System.Diagnostics.Stopwatch.StartNew();
        var seeded = 0;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) =>
        {
            await environment.Admin.PutTenantAsync(spec(id, clientId, secret), ct);
            if (Interlocked.Increment(ref seeded) % 2_000 == 0)
            {
                Console.WriteLine($"  {seeded:N0} of {tenants:N0} tenants created in the simulator");
            }
        });
        Console.WriteLine($"simulator: {tenants:N0} tenants created in {seeding.Elapsed.TotalSeconds:F1} s");
        return environment;
    }

    /// <summary>
    /// How many record versions the simulator has generated for a tenant's <paramref name="source"/>, counted as the
    /// answer streams in: a million-alert truth is never held as a list.
    /// </summary>
    public async Task<long> CountTruthAsync(Guid tenant, string source)
    {
        using var response = await _http.GetAsync($"simulator/tenants/{tenant}/truth/{source}?includeRecords=false", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        long count = 0;
        await foreach (var _ in System.Text.Json.JsonSerializer.DeserializeAsyncEnumerable<System.Text.Json.JsonElement>(stream))
        {
            count++;
        }

        return count;
    }

    /// <summary>An HTTP client that trusts the simulator, for a baseline poller of the bench's own.</summary>
    public HttpClient CreateSimulatorClient() => TrustedHttp.CreateClient(TestCertificates.Server, Simulator.BaseAddress);

    /// <summary>Writes a silo's content root (appsettings.json) and returns its folder.</summary>
    public string ContentRootFor(string siloId, BenchOptions options) => ContentRootFor(siloId, options, TenantIds, extra: null);

    /// <summary>
    /// Writes a silo's content root for <paramref name="tenants"/> (each with <paramref name="sources"/>, the default
    /// when null) plus <paramref name="extra"/> settings and returns its folder.
    /// </summary>
    public string ContentRootFor(
        string siloId, BenchOptions options, IReadOnlyList<Guid> tenants, IReadOnlyDictionary<string, string>? extra,
        IReadOnlyList<string>? sources = null, string? container = null, TimeSpan? initialLookback = null)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Storage:ConnectionString"] = Azurite.ConnectionString,
            ["Storage:Container"] = container ?? Container.Name,
            ["Sinks:JsonLines:Path"] = SinkFolder,
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

        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        for (var i = 0; i < tenants.Count; i++)
        {
            settings[$"Tenants:{i}:TenantId"] = tenants[i].ToString();
            settings[$"Tenants:{i}:ClientId"] = ClientId;
            settings[$"Tenants:{i}:ClientSecret"] = Secret;
            settings[$"Tenants:{i}:PollInterval"] = options.PollInterval.ToString("c");
            settings[$"Tenants:{i}:InitialLookback"] = (initialLookback ?? TimeSpan.FromMinutes(10)).ToString("c");
            for (var s = 0; s < (sources?.Count ?? 0); s++)
            {
                settings[$"Tenants:{i}:Sources:{s}"] = sources![s];
            }
        }

        var folder = Path.Combine(_root, siloId);
        SiloConfiguration.WriteAppSettings(folder, settings);
        return folder;
    }

    /// <summary>Writes <paramref name="settings"/> as the <c>appsettings.json</c> of a content root named <paramref name="name"/> and returns its folder.</summary>
    public string ContentRootWith(string name, IEnumerable<KeyValuePair<string, string>> settings)
    {
        var folder = Path.Combine(_root, name);
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
