using Defender.Mssp.IntegrationTests.Infrastructure;
using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;
using Xunit.Abstractions;

namespace Defender.Mssp.IntegrationTests.Chaos;

/// <summary>
/// Storage goes away for <see cref="OutageDuration"/> while silo processes run tenants whose records keep flowing:
/// unreachable for every silo while the leases outlast it (the silos' path to Azurite is cut through a
/// <see cref="TcpForwarder"/>: a restarted Azurite would forget its leases, which Azure never does), stopped and
/// restarted when the outage outlasts the leases (then every lease has expired either way), or unreachable for one
/// silo only (a partition). Each test runs on an Azurite of its own (<see cref="RestartableAzurite"/>) and checks,
/// from independent evidence —
/// the simulator's call log (who called which tenant when), the silos' own logs, the sink against the simulator's
/// ground truth, the state blobs — that nothing is lost, nothing is delivered twice but as a re-delivery under the
/// same idempotency key, no two silos ever poll one tenant at once, and every tenant catches up afterwards.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class StorageOutageTests(AzuriteFixture sharedAzurite, SimulatorFixture simulator, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>How long storage stays away: the 30 s the reliability requirement names.</summary>
    public static readonly TimeSpan OutageDuration = TimeSpan.FromSeconds(30);

    private const int BusyTenants = 6;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>Two calls of one silo this close together belong to its own regular polling (interval ± jitter).</summary>
    private static readonly TimeSpan MaxPollGap = PollInterval * 1.5;

    /// <summary>After catching up, every source's saved watermark trails the clock by at most this.</summary>
    private static readonly TimeSpan MaxLagAfterCatchUp = TimeSpan.FromSeconds(30);

    /// <summary>A call the simulator logged this soon after its silo gave the lease up was already on its way.</summary>
    private static readonly TimeSpan InFlight = TimeSpan.FromSeconds(1);

    /// <summary>Room for a log line to be written after the moment it reports, on a busy two-core machine.</summary>
    private static readonly TimeSpan LogSlack = TimeSpan.FromSeconds(2);

    /// <summary>Leases that outlast the outage: 60 s (Azure's longest), renewed every 5 s, given up 5 s before expiry.</summary>
    private static readonly (string Key, string Value)[] LongLeases =
    [
        ("Cluster:LeaseDuration", "00:01:00"),
        ("Cluster:LeaseRenewalPeriod", "00:00:05"),
        ("Cluster:LeaseSafetyMargin", "00:00:05"),
    ];

    // The short leases are the integration tests' usual timings (SiloEnvironment.ClusterTimings): 15 s, renewed every
    // 5 s, given up 3 s before expiry — all three shorter than the outage.
    private static readonly TimeSpan ShortLease = SiloEnvironment.LeaseDuration;
    private static readonly TimeSpan ShortLeaseSafetyMargin = TimeSpan.Parse(SiloEnvironment.ClusterTimings["Cluster:LeaseSafetyMargin"]);

    private static readonly GeneratorSpec Steady = new()
    {
        History = TimeSpan.FromMinutes(5),
        IncidentsPerMinute = 6,
        SiemAlertsPerMinute = 6,
        VisibilityDelay = TimeSpan.FromSeconds(1),
        VisibilityJitter = TimeSpan.FromSeconds(2),
        UpdatedIncidentShare = 0.3,
        MaxUpdateDelay = TimeSpan.FromSeconds(20),
    };

    /// <summary>No records at all: the grain never needs storage to poll, so only its lease deadline can stop it.</summary>
    private static readonly GeneratorSpec Quiet = new() { History = TimeSpan.Zero, IncidentsPerMinute = 0, SiemAlertsPerMinute = 0 };

    private readonly string _sinkFolder = Directory.CreateTempSubdirectory("defender-outage-sink-").FullName;
    private RestartableAzurite _azurite = null!;
    private SiloFleet? _fleet;

    public async Task InitializeAsync() => _azurite = await RestartableAzurite.StartAsync();

    public async Task DisposeAsync()
    {
        if (_fleet is not null)
        {
            await _fleet.DisposeAsync();
        }

        await _azurite.DisposeAsync();
        Directory.Delete(_sinkFolder, recursive: true);
    }

    [Fact]
    public async Task Silos_keep_their_tenants_through_a_storage_outage_shorter_than_their_leases_and_lose_or_repeat_nothing()
    {
        await using var path = new TcpForwarder(_azurite.Port);
        var cluster = await SetUpAsync(Enumerable.Repeat(Steady, BusyTenants), [.. LongLeases, ("Storage:ConnectionString", Through(path))]);
        var silos = new[] { "silo-a", "silo-b" };
        await StartAndWaitUntilDeliveringAsync(cluster, silos);
        var owners = await Timelines.OwnersAtAsync(simulator.Admin, cluster.TenantIds, DateTimeOffset.UtcNow);

        var outage = await CutStorageAsync(path);

        await CatchUpAsync(cluster, outage);
        var fleet = _fleet!;
        Assert.All(fleet.All, silo => Assert.False(silo.HasExited, $"{silo.Name} exited"));
        // The outage was felt (renewals failed) and ridden out: no lease was given up, none claimed anew.
        Assert.Contains(fleet.All, silo => silo.Output.Contains("Renewing the lease of tenant", StringComparison.Ordinal));
        Assert.All(fleet.All, silo => Assert.Empty(LeaseEvents.Losses(silo.Name, silo.Output)));
        Assert.All(fleet.All, silo => Assert.DoesNotContain(LeaseEvents.Claims(silo.Name, silo.Output), c => c.Time >= outage.Began));
        // Every call since the outage began came from the tenant's owner before it, and polling resumed after it.
        var timelines = await Timelines.ReadAsync(simulator.Admin, cluster.TenantIds);
        foreach (var (tenantId, timeline) in timelines)
        {
            var since = timeline.Calls.Where(c => c.Time >= outage.Began).ToList();
            Assert.All(since, call => Assert.Equal(owners[tenantId], call.SiloId));
            Assert.Contains(since, call => call.Time > outage.Ended);
        }

        var statuses = await TenantStatus.ReadAllAsync(cluster.Container, cluster.TenantIds);
        Assert.All(statuses, status => Assert.Equal(owners[status.TenantId], status.OwnerSiloId));

        // No crash and no change of owner: not even the last batch may come twice.
        var audit = await SinkAudit.FreezeAndWaitForCompleteAsync(simulator.Admin, _sinkFolder, cluster.TenantIds, Patience);
        output.WriteLine($"sink: {audit.Describe()}");
        Assert.Equal(0, audit.Invented);
        Assert.True(audit.DuplicateLines == 0, audit.Describe());
        await Timelines.AssertOneOwnerAtATimeAsync(simulator.Admin, cluster.TenantIds, MaxPollGap);
    }

    [Fact]
    public async Task Silos_whose_leases_expire_in_a_storage_outage_stop_polling_by_their_deadline_and_catch_up_without_loss()
    {
        var cluster = await SetUpAsync(Enumerable.Repeat(Steady, BusyTenants), []);
        var silos = new[] { "silo-a", "silo-b" };
        await StartAndWaitUntilDeliveringAsync(cluster, silos);
        var owners = await Timelines.OwnersAtAsync(simulator.Admin, cluster.TenantIds, DateTimeOffset.UtcNow);

        var outage = await StopStorageAsync();

        await CatchUpAsync(cluster, outage);
        var fleet = _fleet!;
        var losses = fleet.All.SelectMany(silo => LeaseEvents.Losses(silo.Name, silo.Output)).ToList();
        var claims = fleet.All.SelectMany(silo => LeaseEvents.Claims(silo.Name, silo.Output)).ToList();
        var timelines = await Timelines.ReadAsync(simulator.Admin, cluster.TenantIds);
        // Storage stopped answering by the time the stop completed, so the last successful renewal started before
        // then: the local deadline (lease − safety margin after it) must have fired by then + that much.
        var deadline = outage.Began + ShortLease - ShortLeaseSafetyMargin + LogSlack;
        foreach (var tenantId in cluster.TenantIds)
        {
            var owner = owners[tenantId]!;
            // A graceful stop lets Azurite serve its open connections for a while (up to its stop timeout) and refuse
            // new ones: the outage begins somewhere between the stop's start and its end.
            var loss = losses.Where(l => l.TenantId == tenantId && l.SiloId == owner && l.Time >= outage.Stopping).MinBy(l => l.Time);
            Assert.True(loss is not null, $"{owner} never gave up tenant {tenantId}; its log:\n{fleet[owner].Output}");
            Assert.Contains("safety deadline", loss.Reason, StringComparison.Ordinal);
            Assert.True(loss.Time <= deadline, $"{owner} gave up tenant {tenantId} at {loss.Time:O}, after its deadline {deadline:O}");

            // Nobody could take the tenant before storage came back, at least a safety margin after the loss …
            var next = claims.Where(c => c.TenantId == tenantId && c.Time > outage.Stopping).MinBy(c => c.Time);
            Assert.True(next is not null, $"tenant {tenantId} was never claimed again");
            Assert.True(next.Time >= outage.Returning, $"tenant {tenantId} claimed by {next.SiloId} at {next.Time:O} during the outage");
            Assert.True(next.Time - loss.Time >= ShortLeaseSafetyMargin, $"tenant {tenantId}: lost {loss.Time:O}, claimed again {next.Time:O}");
            // … and from the moment the owner gave it up until storage returned, nobody called the tenant's API.
            var stray = timelines[tenantId].Calls.Where(c => c.Time > loss.Time + InFlight && c.Time < outage.Returning).ToList();
            Assert.True(stray.Count == 0, $"tenant {tenantId}: calls after {owner} gave it up at {loss.Time:O}: "
                + string.Join(", ", stray.Select(c => $"{c.SiloId}@{c.Time:O}")));
        }

        output.WriteLine($"leases given up {(losses.Min(l => l.Time) - outage.Stopping).TotalSeconds:F1}–{(losses.Max(l => l.Time) - outage.Stopping).TotalSeconds:F1} s after the stop began; "
            + $"tenants claimed again {(claims.Where(c => c.Time > outage.Began).Min(c => c.Time) - outage.Returning).TotalSeconds:F1}–"
            + $"{(claims.Where(c => c.Time > outage.Began).Max(c => c.Time) - outage.Returning).TotalSeconds:F1} s after its restart began");

        // A grain that delivered a batch and could not save its checkpoint before the lease went may see that batch
        // again under its new owner: the only duplicates allowed, and under the same idempotency key.
        var audit = await SinkAudit.FreezeAndWaitForCompleteAsync(simulator.Admin, _sinkFolder, cluster.TenantIds, Patience);
        output.WriteLine($"sink: {audit.Describe()}");
        Assert.Equal(0, audit.Invented);
        Assert.Empty(audit.DuplicatesWithAnotherKey);
        await Timelines.AssertOneOwnerAtATimeAsync(simulator.Admin, cluster.TenantIds, MaxPollGap);
    }

    [Fact]
    public async Task A_silo_cut_off_from_storage_stops_its_grains_before_another_silo_takes_them()
    {
        // Half the tenants quiet: with nothing to deliver their grains never touch storage, so what stops them polling
        // during the partition can only be the lease deadline.
        var cluster = await SetUpAsync([.. Enumerable.Repeat(Steady, 4), .. Enumerable.Repeat(Quiet, 4)], [], frequentCheckpoints: false);
        await using var partition = new TcpForwarder(_azurite.Port);
        var cutOff = "silo-a";
        var survivor = "silo-b";
        var fleet = _fleet = new SiloFleet(cluster.Environment, output);
        fleet.Start(cutOff, ("Storage:ConnectionString", Through(partition)));
        fleet.Start(survivor);
        await WaitUntilBalancedAndPollingAsync(cluster, [cutOff, survivor]);

        partition.Cut();
        var cutAt = DateTimeOffset.UtcNow;
        var orphans = (await Timelines.OwnersAtAsync(simulator.Admin, cluster.TenantIds, cutAt))
            .Where(pair => pair.Value == cutOff).Select(pair => pair.Key).ToList();
        Assert.NotEmpty(orphans);
        await Eventually.HoldsAsync(
            async () => (await Timelines.ReadAsync(simulator.Admin, orphans)).Values.All(t => t.FirstCallByAnotherSilo(cutOff, cutAt) is not null),
            Patience, () => Task.FromResult(fleet.Tails()));
        var takenOverAt = DateTimeOffset.UtcNow;
        // The deliberate part: the partition lasts as long as the storage outage of the other tests.
        var rest = cutAt + OutageDuration - DateTimeOffset.UtcNow;
        if (rest > TimeSpan.Zero)
        {
            await Task.Delay(rest);
        }

        partition.Restore();
        var restoredAt = DateTimeOffset.UtcNow;
        output.WriteLine($"partition {(restoredAt - cutAt).TotalSeconds:F1} s; {orphans.Count} tenants taken over within {(takenOverAt - cutAt).TotalSeconds:F1} s");

        // The cut-off silo rejoins, the cluster balances again, and every tenant is Healthy.
        await WaitUntilBalancedAndPollingAsync(cluster, [cutOff, survivor]);
        TenantStatus[] statuses = [];
        await Eventually.HoldsAsync(
            async () => (statuses = await TenantStatus.ReadAllAsync(cluster.Container, cluster.TenantIds)).All(s => s.IsHealthy),
            Patience, () => Task.FromResult(string.Join('\n', statuses.Select(s => s.ToString()))));

        var losses = LeaseEvents.Losses(cutOff, fleet[cutOff].Output);
        var survivorClaims = LeaseEvents.Claims(survivor, fleet[survivor].Output);
        var timelines = await Timelines.ReadAsync(simulator.Admin, orphans);
        var quiet = cluster.TenantIds.Skip(4).ToHashSet();
        var gaps = new List<TimeSpan>();
        foreach (var tenantId in orphans)
        {
            var loss = losses.Where(l => l.TenantId == tenantId && l.Time >= cutAt).MinBy(l => l.Time);
            Assert.True(loss is not null, $"{cutOff} never gave up tenant {tenantId}:\n{fleet[cutOff].Output}");
            Assert.Contains("safety deadline", loss.Reason, StringComparison.Ordinal);
            var takeover = survivorClaims.Where(c => c.TenantId == tenantId && c.Time >= cutAt).MinBy(c => c.Time);
            Assert.True(takeover is not null, $"{survivor} never claimed tenant {tenantId}");

            // The cut-off silo gave the tenant up before the other could take it, by about the safety margin (the
            // lease outlives the local deadline by at least the margin; half of it is left for logging delays).
            gaps.Add(takeover.Time - loss.Time);
            Assert.True(takeover.Time - loss.Time >= ShortLeaseSafetyMargin / 2,
                $"tenant {tenantId}: {cutOff} gave it up at {loss.Time:O}, {survivor} claimed it at {takeover.Time:O}");

            // From then on the cut-off silo left the tenant's API alone for as long as it was cut off (it can claim
            // nothing before it reaches storage again).
            var calls = timelines[tenantId].Calls;
            var stray = calls.Where(c => c.SiloId == cutOff && c.Time > loss.Time + InFlight && c.Time < restoredAt).ToList();
            Assert.True(stray.Count == 0, $"tenant {tenantId}: {cutOff} called at {string.Join(", ", stray.Select(c => c.Time.ToString("O")))} after giving it up at {loss.Time:O}");
            var lastBefore = calls.Last(c => c.SiloId == cutOff && c.Time <= loss.Time + InFlight);
            var firstAfter = calls.First(c => c.SiloId == survivor && c.Time >= cutAt);
            Assert.True(lastBefore.Time < firstAfter.Time, $"tenant {tenantId}: {cutOff} called at {lastBefore.Time:O}, {survivor} from {firstAfter.Time:O}");
            if (quiet.Contains(tenantId))
            {
                // Nothing to save, so storage errors did not stop it: it polled on through the partition until the deadline.
                Assert.True(lastBefore.Time > cutAt, $"quiet tenant {tenantId}: {cutOff}'s last call {lastBefore.Time:O} is before the cut {cutAt:O}");
            }
        }

        output.WriteLine($"given up before taken over by {gaps.Min().TotalSeconds:F1}–{gaps.Max().TotalSeconds:F1} s (safety margin {ShortLeaseSafetyMargin.TotalSeconds} s)");
        var audit = await SinkAudit.FreezeAndWaitForCompleteAsync(simulator.Admin, _sinkFolder, cluster.TenantIds, Patience);
        output.WriteLine($"sink: {audit.Describe()}");
        Assert.Equal(0, audit.Invented);
        Assert.Empty(audit.DuplicatesWithAnotherKey);
        await Timelines.AssertOneOwnerAtATimeAsync(simulator.Admin, cluster.TenantIds, MaxPollGap);
    }

    /// <summary>
    /// When storage could first have stopped answering (a stop began), when it had certainly stopped answering, when
    /// it could first answer again (its restart began) and when it certainly answered again.
    /// </summary>
    private sealed record Outage(DateTimeOffset Stopping, DateTimeOffset Began, DateTimeOffset Returning, DateTimeOffset Ended);

    private sealed record TestCluster(IReadOnlyList<Guid> TenantIds, SiloEnvironment Environment, BlobContainerClient Container)
    {
        public ClusterProbe Probe { get; } = new(Container);
    }

    /// <param name="frequentCheckpoints">Save watermarks at least every 5 s (else only with deliveries and status
    /// changes), so the saved status shows how far each tenant has caught up.</param>
    private async Task<TestCluster> SetUpAsync(
        IEnumerable<GeneratorSpec> generators, (string Key, string Value)[] timings, bool frequentCheckpoints = true)
    {
        var app = Guid.NewGuid().ToString();
        var secret = TestTenant.NewSecret();
        var specs = generators.ToList();
        var tenants = specs.Select(_ => TestTenant.Create(app, secret)).ToList();
        await Task.WhenAll(tenants.Select((t, i) => t.RegisterAsync(simulator, specs[i])));
        var container = AzuriteFixture.UniqueContainerName("outage");
        // The shared fixture only seeds the defaults; these silos use the test's own, restartable Azurite.
        var environment = new SiloEnvironment(sharedAzurite, simulator, container, _sinkFolder)
            .WithTenants(tenants, PollInterval, lookback: TimeSpan.FromMinutes(10))
            .Set("Storage:ConnectionString", _azurite.ConnectionString);
        if (frequentCheckpoints)
        {
            environment.Set("Polling:CheckpointMaxAge", "00:00:05");
        }

        foreach (var (key, value) in timings)
        {
            environment.Set(key, value);
        }

        return new TestCluster(tenants.Select(t => t.TenantId).ToList(), environment, _azurite.ServiceClient.GetBlobContainerClient(container));
    }

    private async Task StartAndWaitUntilDeliveringAsync(TestCluster cluster, IReadOnlyList<string> silos)
    {
        _fleet = new SiloFleet(cluster.Environment, output);
        foreach (var silo in silos)
        {
            _fleet.Start(silo);
        }

        await WaitUntilBalancedAndPollingAsync(cluster, silos);
        // Records flow: every tenant has delivered both sources before storage goes.
        SinkAudit audit = new([]);
        await Eventually.HoldsAsync(
            async () => (audit = await SinkAudit.RunAsync(simulator.Admin, _sinkFolder, cluster.TenantIds)).Comparisons.All(c => c.Delivered > 0),
            Patience, () => Task.FromResult(audit.Describe()));
    }

    private async Task WaitUntilBalancedAndPollingAsync(TestCluster cluster, IReadOnlyList<string> silos)
    {
        var count = cluster.TenantIds.Count;
        var share = count / silos.Count;
        await Eventually.HoldsAsync(
            () => cluster.Probe.IsBalancedAsync(silos.ToList(), share, share + 1, count), Patience, cluster.Probe.DescribeAsync);
        await Timelines.WaitUntilOwnersPollAsync(simulator.Admin, cluster.TenantIds, silos.ToList(), share, Patience);
    }

    /// <summary>A connection string to the test's Azurite through <paramref name="forwarder"/>.</summary>
    private static string Through(TcpForwarder forwarder) =>
        DevelopmentStorageAccount.ConnectionString(new Uri($"http://127.0.0.1:{forwarder.Port}/{DevelopmentStorageAccount.Name}"));

    /// <summary>Makes storage unreachable through <paramref name="path"/> for <see cref="OutageDuration"/>; Azurite runs on.</summary>
    private async Task<Outage> CutStorageAsync(TcpForwarder path)
    {
        var stopping = DateTimeOffset.UtcNow;
        path.Cut();
        var began = DateTimeOffset.UtcNow;
        await Task.Delay(OutageDuration); // The deliberate outage.
        var returning = DateTimeOffset.UtcNow;
        path.Restore();
        var ended = DateTimeOffset.UtcNow;
        output.WriteLine($"storage unreachable from {began:O} to {ended:O} ({(ended - began).TotalSeconds:F1} s)");
        return new Outage(stopping, began, returning, ended);
    }

    /// <summary>Stops Azurite (cleanly), keeps it down for <see cref="OutageDuration"/>, starts it again on its port.</summary>
    private async Task<Outage> StopStorageAsync()
    {
        var stopping = DateTimeOffset.UtcNow;
        await _azurite.StopAsync();
        var began = DateTimeOffset.UtcNow;
        await Task.Delay(OutageDuration); // The deliberate outage.
        var returning = DateTimeOffset.UtcNow;
        await _azurite.RestartAsync();
        var ended = DateTimeOffset.UtcNow;
        output.WriteLine($"storage stopping from {stopping:O}, down from {began:O}, restarted from {returning:O}, answering by {ended:O} ({(ended - began).TotalSeconds:F1} s down)");
        return new Outage(stopping, began, returning, ended);
    }

    /// <summary>
    /// Waits until every tenant is Healthy again with each source's saved watermark past the outage, and checks how
    /// far the slowest one trails the clock.
    /// </summary>
    private async Task CatchUpAsync(TestCluster cluster, Outage outage)
    {
        TenantStatus[] statuses = [];
        await Eventually.HoldsAsync(
            async () => (statuses = await TenantStatus.ReadAllAsync(cluster.Container, cluster.TenantIds))
                .All(s => s.IsHealthy && s.Watermarks.Count > 0 && s.Watermarks.Values.All(w => w > outage.Ended)),
            Patience, () => Task.FromResult(string.Join('\n', statuses.Where(s => !s.IsHealthy).Select(s => s.ToString())) + "\n" + _fleet!.Tails()));
        var caughtUp = DateTimeOffset.UtcNow;
        var lag = statuses.Max(s => s.Lag(caughtUp));
        output.WriteLine($"all {statuses.Length} tenants Healthy and past the outage {(caughtUp - outage.Ended).TotalSeconds:F1} s after it; largest lag {lag.TotalSeconds:F1} s");
        Assert.True(lag <= MaxLagAfterCatchUp, $"lag {lag} after catching up");
    }
}
