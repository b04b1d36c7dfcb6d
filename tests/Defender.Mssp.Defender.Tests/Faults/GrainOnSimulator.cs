using System.Security.Cryptography;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.Tests.Simulation;
using Defender.Mssp.Grains;
using Defender.Mssp.Grains.Polling;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Records;
using Defender.Mssp.Sinks;
using Defender.Mssp.Sources;
using Defender.Mssp.Storage;
using Defender.Mssp.Tenants;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Defender.Mssp.Defender.Tests.Faults;

/// <summary>
/// One tenant's grain polling the in-process simulator over HTTPS through the product's real clients (MSAL, retries,
/// the incidents source, the dead-letter sink). The grain and the simulator share a hand-moved clock, so backoffs and
/// record arrival are the test's to step; the HTTP client's own retries and timeouts run on real (short) time.
/// </summary>
internal sealed class GrainOnSimulator : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Client retries after 5xx, resets and timeouts: three attempts per page.</summary>
    public const int AttemptsPerPage = 3;

    private readonly RunningSimulator _simulator;
    private readonly ServiceProvider _product;

    private GrainOnSimulator(
        RunningSimulator simulator, ManualTimeProvider clock, ServiceProvider product, CapturingLoggerProvider logs, string deadLetters)
    {
        _simulator = simulator;
        _product = product;
        Clock = clock;
        Logs = logs;
        AdminHttp = TrustedHttp.CreateClient(TestCertificates.Server, simulator.BaseAddress);
        Admin = new SimulatorAdminClient(AdminHttp);
        DeadLetterRoot = deadLetters;
    }

    public ManualTimeProvider Clock { get; }

    public SimulatorAdminClient Admin { get; }

    public HttpClient AdminHttp { get; }

    public CapturingLoggerProvider Logs { get; }

    public string DeadLetterRoot { get; }

    public InMemoryGrainStorage Storage { get; } = new();

    public DeliveredRecords Sink { get; } = new();

    public PollingOptions Polling { get; } = new() { Jitter = 0 };

    public TenantSettings Tenant { get; private set; } = null!;

    public Guid TenantId => Guid.Parse(Tenant.TenantId);

    public TenantGrain Grain { get; private set; } = null!;

    public DateTimeOffset Now => Clock.GetUtcNow();

    public IRecordSource Incidents => _product.GetServices<IRecordSource>().Single(s => s.Name == DefenderSources.Incidents);

    public PersistentState<TenantGrainState> State { get; private set; } = null!;

    public SourceCheckpoint Checkpoint => State.State.Sources[DefenderSources.Incidents];

    public static async Task<GrainOnSimulator> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var clock = new ManualTimeProvider(Start);
        var simulator = await InProcessSimulator.StartAsync(TestCertificates.Server, clock, CancellationToken.None);
        var pem = TestCertificates.WritePublicPem(
            TestCertificates.Server, Path.Combine(Path.GetTempPath(), $"defender-simulator-{TestCertificates.Server.Thumbprint}.pem"));
        var deadLetters = Path.Combine(Path.GetTempPath(), "defender-dead-letter-" + Guid.NewGuid().ToString("N"));
        var values = new Dictionary<string, string?>(DefenderEndpointsConfiguration.AllAt(simulator.BaseAddress))
        {
            ["Defender:Http:TrustedCertificatesPath"] = pem,
            ["Defender:Http:RequestTimeout"] = "00:00:02",
            ["Defender:Retry:TransientMaxRetries"] = (AttemptsPerPage - 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Defender:Retry:TransientBaseDelay"] = "00:00:00.010",
            ["Defender:Retry:TransientMaxDelay"] = "00:00:00.050",
            ["Defender:IncidentsPageSize"] = "10",
            ["Defender:DeadLetter:Path"] = deadLetters,
            // Request budgets pace on real time (50 incidents calls a minute); they are tested on their own.
            ["Defender:Budgets:Enabled"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection().AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        services.AddDefenderClients(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        var product = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new GrainOnSimulator(simulator, clock, product, logs, deadLetters);
    }

    /// <summary>Adds the simulated tenant (one incident a minute, visible at once) and activates its grain.</summary>
    public async Task<TenantGrain> AddTenantAsync()
    {
        var tenantId = Guid.NewGuid();
        var clientId = Guid.NewGuid().ToString();
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        var generator = new GeneratorSpec
        {
            Seed = 8, IncidentsPerMinute = 1, SiemAlertsPerMinute = 0, VisibilityDelay = TimeSpan.Zero, VisibilityJitter = TimeSpan.Zero,
        };
        await Admin.PutTenantAsync(TenantSpec.Create(tenantId, clientId, secret, generator));
        Tenant = new TenantSettings
        {
            TenantId = tenantId.ToString(),
            ClientId = clientId,
            ClientSecret = new Secret(secret),
            Sources = [DefenderSources.Incidents],
            PollInterval = TimeSpan.FromMinutes(1),
            InitialLookback = TimeSpan.FromMinutes(30),
        };
        State = new PersistentState<TenantGrainState>(Storage, $"state/{tenantId}.json");
        Grain = new TenantGrain(
            Tenant,
            State,
            new TenantGrainServices(_product.GetServices<IRecordSource>(), Sink, Microsoft.Extensions.Options.Options.Create(Polling), Clock),
            "silo-faults");
        await Grain.ActivateAsync(CancellationToken.None);
        return Grain;
    }

    public Task<TenantPollResult> PollAsync() => Grain.PollOnceAsync(CancellationToken.None);

    /// <summary>Moves the shared clock to when the failing source may be polled again.</summary>
    public void AdvancePastBackoff() => Clock.Advance((Checkpoint.RetryNotBefore ?? Now) - Now + TimeSpan.FromSeconds(1));

    /// <summary>What a fault-free read of <paramref name="window"/> returns now: the keys nothing may lose.</summary>
    public async Task<HashSet<RecordKey>> ReadDirectlyAsync(RecordWindow window)
    {
        var keys = new HashSet<RecordKey>();
        await foreach (var record in Incidents.ReadAsync(Tenant, window, CancellationToken.None))
        {
            keys.Add(record.Key);
        }

        return keys;
    }

    public Task<SimulatorTenantStats> StatsAsync() => Admin.GetStatsAsync(TenantId);

    /// <summary>Reads <paramref name="read"/> until <paramref name="done"/> holds, for at most ten seconds; returns the last value.</summary>
    public async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            value = await read();
        }

        return value;
    }

    public async ValueTask DisposeAsync()
    {
        await _product.DisposeAsync();
        AdminHttp.Dispose();
        await _simulator.DisposeAsync();
        Logs.Dispose();
        if (Directory.Exists(DeadLetterRoot))
        {
            Directory.Delete(DeadLetterRoot, recursive: true);
        }
    }
}

/// <summary>The records the sink acknowledged, in order.</summary>
internal sealed class DeliveredRecords : IRecordSink
{
    private readonly Lock _gate = new();
    private readonly List<DefenderRecord> _records = [];

    public IReadOnlyList<DefenderRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records];
            }
        }
    }

    public IReadOnlyList<RecordKey> Keys => [.. Records.Select(r => r.Key)];

    public Task DeliverAsync(string tenantId, string source, IReadOnlyList<DefenderRecord> records, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _records.AddRange(records);
        }

        return Task.CompletedTask;
    }
}
