using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Runtime.Storage;
using Defender.Mssp.Runtime.Storage.Blobs;

namespace Defender.Mssp.Runtime.Tests.Cluster;

/// <summary>
/// Several in-process cluster members sharing one Azurite container, a catalogue and an activation ledger. Driven
/// members run no loops: the test runs their rounds, renewals and heartbeats, on a clock it controls.
/// </summary>
internal sealed class TestCluster(BlobContainerClient container, ListCatalog catalog, TimeProvider time) : IAsyncDisposable
{
    private readonly List<ClusterMember> _members = [];

    public BlobContainerClient Container { get; } = container;

    public ListCatalog Catalog { get; } = catalog;

    public TimeProvider Time { get; } = time;

    public ActivationLedger Ledger { get; } = new();

    public BlobGrainStorage Storage { get; } = new(container);

    public Dictionary<string, FakeActivator> Activators { get; } = [];

    public IReadOnlyList<ClusterMember> Members => _members;

    /// <summary>Given to members created from now on.</summary>
    public Defender.Mssp.Runtime.Telemetry.ClusterMetrics? Metrics { get; set; }

    /// <summary>Given to members created from now on.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Long leases and intervals: with a manual clock nothing expires unless the test moves the clock.</summary>
    public static ClusterOptions DrivenOptions(string siloId) => new()
    {
        SiloId = siloId,
        Endpoint = $"http://127.0.0.1/{siloId}",
        Version = "test",
        LeaseDuration = TimeSpan.FromSeconds(60),
        LeaseRenewalPeriod = TimeSpan.FromSeconds(20),
        LeaseSafetyMargin = TimeSpan.FromSeconds(5),
        BalancingInterval = TimeSpan.FromSeconds(5),
        HeartbeatInterval = TimeSpan.FromSeconds(5),
        SiloStaleAfter = TimeSpan.FromSeconds(20),
    };

    /// <summary>Short intervals on the real clock; the lease is Azure's minimum.</summary>
    public static ClusterOptions LiveOptions(string siloId) => new()
    {
        SiloId = siloId,
        Version = "test",
        LeaseDuration = TimeSpan.FromSeconds(15),
        LeaseRenewalPeriod = TimeSpan.FromSeconds(4),
        LeaseSafetyMargin = TimeSpan.FromSeconds(3),
        BalancingInterval = TimeSpan.FromMilliseconds(250),
        HeartbeatInterval = TimeSpan.FromMilliseconds(250),
        SiloStaleAfter = TimeSpan.FromSeconds(1.5),
    };

    public static async Task<TestCluster> CreateAsync(Defender.Mssp.TestKit.AzuriteFixture azurite, int tenants, TimeProvider time) =>
        new(await azurite.CreateContainerAsync("cluster"), new ListCatalog(tenants), time);

    /// <summary>A driven member: initialised (heartbeat written), no loops.</summary>
    public async Task<ClusterMember> JoinAsync(string siloId, ClusterOptions? options = null)
    {
        var member = Create(options ?? DrivenOptions(siloId));
        await member.InitializeAsync(CancellationToken.None);
        return member;
    }

    /// <summary>A member running its own loops on the cluster's clock.</summary>
    public async Task<ClusterMember> StartAsync(string siloId, ClusterOptions? options = null)
    {
        var member = Create(options ?? LiveOptions(siloId));
        await member.StartAsync(CancellationToken.None);
        return member;
    }

    /// <summary>
    /// Runs balancing rounds — every member once per round, in a random order — until a whole round changes nothing.
    /// </summary>
    /// <returns>How many rounds changed something.</returns>
    public async Task<int> ConvergeAsync(params ClusterMember[] members)
    {
        const int maxRounds = 10;
        for (var round = 0; round < maxRounds; round++)
        {
            var changed = false;
            foreach (var member in members.OrderBy(_ => Random.Shared.Next()))
            {
                var result = await member.RunBalancingRoundAsync(CancellationToken.None);
                changed |= result.Claimed + result.Released + result.Removed > 0;
            }

            if (!changed)
            {
                return round;
            }
        }

        throw new Xunit.Sdk.XunitException($"The members did not converge within {maxRounds} rounds.");
    }

    /// <summary>The tenants whose state blob storage reports leased.</summary>
    public async Task<HashSet<string>> LeasedTenantsAsync()
    {
        var leased = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in Container.GetBlobsAsync(prefix: "state/"))
        {
            if (blob.Properties.LeaseStatus == LeaseStatus.Locked)
            {
                leased.Add(blob.Name["state/".Length..^".json".Length]);
            }
        }

        return leased;
    }

    /// <summary>Breaks the leases of <paramref name="tenantIds"/> at once, as their expiry would.</summary>
    public Task BreakLeasesAsync(IEnumerable<string> tenantIds) =>
        Task.WhenAll(tenantIds.Select(id =>
            Container.GetBlobClient($"state/{id}.json").GetBlobLeaseClient().BreakAsync(TimeSpan.Zero)));

    /// <summary>Polls <paramref name="condition"/> until it holds; for tests on the real clock, with a generous bound.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        using var expiry = new CancellationTokenSource(timeout);
        while (!condition())
        {
            if (expiry.IsCancellationRequested)
            {
                throw new Xunit.Sdk.XunitException($"Timed out after {timeout} waiting until {what}.");
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var member in _members)
        {
            await member.DisposeAsync();
        }
    }

    private ClusterMember Create(ClusterOptions options)
    {
        var activator = new FakeActivator(options.SiloId, Storage, Ledger);
        Activators[options.SiloId] = activator;
        var member = new ClusterMember(options, Container, "state/", Catalog, activator, Time, LoggerFactory, metrics: Metrics);
        _members.Add(member);
        return member;
    }
}
