using Defender.Mssp.IntegrationTests.Infrastructure;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.Sources;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;
using Xunit.Abstractions;

namespace Defender.Mssp.IntegrationTests;

/// <summary>
/// Silos as a cluster, every part real: silo processes share tenants through blob leases in Azurite and poll the
/// simulator over HTTPS. One owner at a time is checked from the simulator's own call log (which silo called which
/// tenant when), balance from the silos' heartbeats, completeness from the simulator's ground truth.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ClusterTests(AzuriteFixture azurite, SimulatorFixture simulator, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Two calls of one silo this close together belong to its own regular polling (interval ± jitter).</summary>
    private static readonly TimeSpan MaxPollGap = PollInterval * 1.5;

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

    private readonly string _sinkFolder = Directory.CreateTempSubdirectory("defender-cluster-sink-").FullName;
    private readonly List<SiloProcess> _silos = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            output.WriteLine($"--- {silo.Name} (exit {(silo.HasExited ? silo.ExitCode.ToString() : "running")}) ---");
            output.WriteLine(silo.Output.Length > 10_000 ? silo.Output[^10_000..] : silo.Output);
            await silo.DisposeAsync();
        }

        Directory.Delete(_sinkFolder, recursive: true);
    }

    [Fact]
    public async Task Three_silos_balance_sixty_tenants_a_fourth_gets_its_share_and_a_graceful_stop_hands_over_without_duplicates()
    {
        var (tenants, environment, probe) = await SetUpAsync(60);

        // Three silos, started together: 20 each after convergence.
        var silos = new[] { "silo-a", "silo-b", "silo-c" }.Select(name => Start(name, environment)).ToList();
        await Eventually.HoldsAsync(() => probe.IsBalancedAsync(["silo-a", "silo-b", "silo-c"], 19, 21, 60), Patience, probe.DescribeAsync);
        await WaitUntilOwnersPollAsync(tenants, ["silo-a", "silo-b", "silo-c"], 19);
        output.WriteLine($"three silos: {await probe.DescribeAsync()}");

        // A fourth joins and ends up with its fair share: 15 each.
        silos.Add(Start("silo-d", environment));
        await Eventually.HoldsAsync(
            () => probe.IsBalancedAsync(["silo-a", "silo-b", "silo-c", "silo-d"], 14, 16, 60), Patience, probe.DescribeAsync);
        await WaitUntilOwnersPollAsync(tenants, ["silo-a", "silo-b", "silo-c", "silo-d"], 14);
        output.WriteLine($"four silos: {await probe.DescribeAsync()}");

        // One stops gracefully (SIGTERM): it saves, releases, leaves; the others take its tenants over at once.
        var leaving = silos[1];
        var stoppingAt = DateTimeOffset.UtcNow;
        await leaving.StopAsync(TimeSpan.FromSeconds(30));
        var stoppedAt = DateTimeOffset.UtcNow;
        Assert.Equal(0, leaving.ExitCode);
        var orphans = await TenantsLastPolledByAsync(tenants, leaving.Name, stoppingAt);
        Assert.NotEmpty(orphans);
        // Measured from the exit, by which time every lease was released (some were taken over even before).
        var handover = await WaitForTakeoverAsync(orphans, leaving.Name, since: stoppingAt, measuredFrom: stoppedAt);
        output.WriteLine($"graceful hand-over of {orphans.Count} tenants: slowest first poll by another silo after {handover.TotalSeconds:F1} s");
        // One balancing round claims them; the new owner's first poll comes within one poll interval (its random start offset).
        Assert.True(handover <= SiloEnvironment.BalancingInterval * 1.2 + PollInterval + Slack,
            $"hand-over took {handover} for {orphans.Count} tenants");
        await Eventually.HoldsAsync(() => probe.IsBalancedAsync(["silo-a", "silo-c", "silo-d"], 19, 21, 60), Patience, probe.DescribeAsync);

        // Only graceful hand-overs happened: the sink must equal the ground truth with no duplicate at all.
        var comparisons = await FreezeAndWaitForCompleteSinkAsync(tenants);
        Assert.All(comparisons, c => Assert.Empty(c.Invented));
        Assert.All(comparisons, c => Assert.True(c.Duplicates.Count == 0, c.ToString()));
        await AssertOneOwnerAtATimeAsync(tenants);

        // Everyone leaves gracefully: no lease and no heartbeat is left behind.
        foreach (var silo in silos.Where(s => !s.HasExited))
        {
            await silo.StopAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, silo.ExitCode);
        }

        var leased = await probe.LeasedTenantsAsync();
        Assert.True(leased.Count == 0, $"still leased after every silo left: {string.Join(", ", leased)}\n{LinesAbout(silos, leased)}");
        Assert.Empty(await probe.HeartbeatsAsync());
    }

    [Fact]
    public async Task A_killed_silos_tenants_are_polled_again_by_the_others_within_the_lease_and_nothing_is_lost()
    {
        var (tenants, environment, probe) = await SetUpAsync(30);
        var silos = new[] { "silo-a", "silo-b", "silo-c" }.Select(name => Start(name, environment)).ToList();
        await Eventually.HoldsAsync(() => probe.IsBalancedAsync(["silo-a", "silo-b", "silo-c"], 9, 11, 30), Patience, probe.DescribeAsync);
        await WaitUntilOwnersPollAsync(tenants, ["silo-a", "silo-b", "silo-c"], 9);

        var victim = silos[2];
        await victim.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        var orphans = await TenantsLastPolledByAsync(tenants, victim.Name, killedAt);
        Assert.NotEmpty(orphans);
        var takeover = await WaitForTakeoverAsync(orphans, victim.Name, since: killedAt, measuredFrom: killedAt);
        output.WriteLine($"kill -9: {orphans.Count} orphaned tenants, slowest first poll by another silo after {takeover.TotalSeconds:F1} s");
        // Leases expire within their duration; a balancing round claims them; the first poll follows within one interval.
        Assert.True(takeover <= SiloEnvironment.LeaseDuration + SiloEnvironment.BalancingInterval * 2 + PollInterval + Slack,
            $"take-over took {takeover} for {orphans.Count} tenants");
        await Eventually.HoldsAsync(() => probe.IsBalancedAsync(["silo-a", "silo-b"], 15, 15, 30), Patience, probe.DescribeAsync);

        var comparisons = await FreezeAndWaitForCompleteSinkAsync(tenants);
        Assert.All(comparisons, c => Assert.Empty(c.Invented));
        // A crash may repeat the batch it had not checkpointed, always under the idempotency key it first carried.
        Assert.All(comparisons, c => Assert.All(c.Duplicates, d => Assert.Single(d.Select(e => e.IdempotencyKey).Distinct())));
        await AssertOneOwnerAtATimeAsync(tenants);
    }

    [Fact]
    public async Task A_deposed_owner_mid_poll_cannot_persist_its_checkpoint()
    {
        var (tenants, environment, probe) = await SetUpAsync(1);
        var tenant = tenants[0];
        // Renewals far apart, so it is storage — not a renewal — that tells the silo it lost the lease.
        var silo = Start("silo-a", environment
            .Set("Cluster:LeaseDuration", "00:01:00")
            .Set("Cluster:LeaseRenewalPeriod", "00:00:29")
            .Set("Cluster:LeaseSafetyMargin", "00:00:05")
            .Set("Cluster:SiloStaleAfter", "00:00:05")
            // Every poll that moves the watermark saves it, so the deposed grain does try to write.
            .Set("Polling:CheckpointMaxAge", "00:00:01"));
        await WaitUntilAllPolledAsync(tenants);

        // Hold the silo's next incidents call, so it is mid-poll, then break its lease and take it.
        await simulator.Admin.AddFaultAsync(tenant.TenantId, new FaultSpec
        {
            Source = SimulatorFaultSource.Incidents, Kind = SimulatorFaultKind.Stall, StallSeconds = 4, Remaining = 1,
        });
        await Eventually.HoldsAsync(
            async () => (await simulator.Admin.GetStatsAsync(tenant.TenantId)).FaultsInjected >= 1,
            Patience, () => Task.FromResult(silo.Output));
        var stateBlob = probe.Container.GetBlobClient($"state/{tenant.TenantId}.json");
        await stateBlob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero);
        var usurper = stateBlob.GetBlobLeaseClient();
        await usurper.AcquireAsync(TimeSpan.FromSeconds(60));
        var before = (await stateBlob.DownloadContentAsync()).Value;

        // The stalled call returns; the deposed grain tries to save its checkpoint and storage refuses it.
        await Eventually.HoldsAsync(
            () => Task.FromResult(silo.Output.Contains($"Write of state/{tenant.TenantId}.json rejected: lease not held", StringComparison.Ordinal)),
            Patience, () => Task.FromResult(silo.Output));
        var after = (await stateBlob.DownloadContentAsync()).Value;
        Assert.Equal(before.Details.ETag, after.Details.ETag);
        Assert.Equal(before.Content.ToString(), after.Content.ToString());
        await Eventually.HoldsAsync(
            () => Task.FromResult(silo.Output.Contains($"Lost the lease of tenant {tenant.TenantId}", StringComparison.Ordinal)),
            Patience, () => Task.FromResult(silo.Output));

        // Once the usurper lets go, the silo claims the tenant again and the sink still ends up complete.
        await usurper.ReleaseAsync();
        var comparisons = await FreezeAndWaitForCompleteSinkAsync(tenants);
        Assert.All(comparisons, c => Assert.Empty(c.Invented));
        Assert.All(comparisons, c => Assert.All(c.Duplicates, d => Assert.Single(d.Select(e => e.IdempotencyKey).Distinct())));
        await silo.StopAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, silo.ExitCode);
    }

    /// <summary>Room for process scheduling on a busy two-core machine.</summary>
    private static TimeSpan Slack => TimeSpan.FromSeconds(5);

    /// <summary>What each silo last said about the given tenants, for a failure message.</summary>
    private static string LinesAbout(IEnumerable<SiloProcess> silos, IReadOnlyList<string> tenantIds) =>
        string.Join('\n', silos.SelectMany(silo => silo.Output.Split('\n')
            .Where(line => tenantIds.Any(id => line.Contains(id, StringComparison.Ordinal)))
            .TakeLast(3 * tenantIds.Count)
            .Select(line => $"{silo.Name}: {line}")));

    private async Task<(IReadOnlyList<TestTenant> Tenants, SiloEnvironment Environment, ClusterProbe Probe)> SetUpAsync(int count)
    {
        var app = Guid.NewGuid().ToString();
        var secret = TestTenant.NewSecret();
        var tenants = Enumerable.Range(0, count).Select(_ => TestTenant.Create(app, secret)).ToList();
        await Task.WhenAll(tenants.Select(t => t.RegisterAsync(simulator, Steady)));
        var container = AzuriteFixture.UniqueContainerName("cluster");
        var environment = new SiloEnvironment(azurite, simulator, container, _sinkFolder)
            .WithTenants(tenants, PollInterval, lookback: TimeSpan.FromMinutes(10));
        return (tenants, environment, new ClusterProbe(azurite.ServiceClient.GetBlobContainerClient(container)));
    }

    private SiloProcess Start(string name, SiloEnvironment environment)
    {
        var silo = SiloProcess.Start(name, environment.With(("Cluster:SiloId", name)));
        _silos.Add(silo);
        return silo;
    }

    private async Task WaitUntilAllPolledAsync(IReadOnlyList<TestTenant> tenants) =>
        await Eventually.HoldsAsync(
            async () => (await Task.WhenAll(tenants.Select(t => simulator.Admin.GetStatsAsync(t.TenantId))))
                .All(s => s.Calls(DefenderSources.Incidents, 200) > 0 && s.Calls(DefenderSources.Siem, 200) > 0),
            Patience, () => Task.FromResult(string.Join('\n', _silos.Select(s => s.Output[^Math.Min(3000, s.Output.Length)..]))));

    /// <summary>
    /// Waits until the call log shows each of <paramref name="silos"/> as the latest caller of at least
    /// <paramref name="min"/> tenants: the silos poll what they own (a tenant's first poll by a new owner comes within
    /// one poll interval of the claim).
    /// </summary>
    private async Task WaitUntilOwnersPollAsync(IReadOnlyList<TestTenant> tenants, IReadOnlyList<string> silos, int min)
    {
        IReadOnlyDictionary<string, int> counts = new Dictionary<string, int>();
        await Eventually.HoldsAsync(
            async () =>
            {
                var timelines = await Task.WhenAll(tenants.Select(t => CallTimeline.ReadAsync(simulator.Admin, t.TenantId)));
                counts = timelines.GroupBy(t => t.Calls.LastOrDefault()?.SiloId ?? "none").ToDictionary(g => g.Key, g => g.Count());
                return silos.All(silo => counts.GetValueOrDefault(silo) >= min);
            },
            Patience, () => Task.FromResult("latest callers: " + string.Join(", ", counts.Select(p => $"{p.Key}: {p.Value}"))));
    }

    /// <summary>The tenants whose last call before <paramref name="at"/> came from <paramref name="siloId"/>.</summary>
    private async Task<IReadOnlyList<Guid>> TenantsLastPolledByAsync(IEnumerable<TestTenant> tenants, string siloId, DateTimeOffset at)
    {
        var timelines = await Task.WhenAll(tenants.Select(t => CallTimeline.ReadAsync(simulator.Admin, t.TenantId)));
        return timelines.Where(t => t.OwnerAt(at) == siloId).Select(t => t.TenantId).ToList();
    }

    /// <summary>
    /// Waits until every orphan was called by another silo after <paramref name="since"/>; returns the slowest such
    /// first call's delay after <paramref name="measuredFrom"/>.
    /// </summary>
    private async Task<TimeSpan> WaitForTakeoverAsync(IReadOnlyList<Guid> orphans, string siloId, DateTimeOffset since, DateTimeOffset measuredFrom)
    {
        TimeSpan slowest = default;
        await Eventually.HoldsAsync(async () =>
        {
            var timelines = await Task.WhenAll(orphans.Select(id => CallTimeline.ReadAsync(simulator.Admin, id)));
            var firsts = timelines.Select(t => t.FirstCallByAnotherSilo(siloId, since)).ToList();
            if (firsts.Any(call => call is null))
            {
                return false;
            }

            slowest = firsts.Max(call => call!.Time) - measuredFrom;
            return true;
        }, Patience, () => Task.FromResult($"not all of {orphans.Count} tenants of {siloId} were taken over"));
        return slowest;
    }

    private async Task<GroundTruth[]> FreezeAndWaitForCompleteSinkAsync(IReadOnlyList<TestTenant> tenants)
    {
        await Task.WhenAll(tenants.Select(t => simulator.Admin.StopGeneratorAsync(t.TenantId)));
        GroundTruth[] comparisons = [];
        await Eventually.HoldsAsync(
            async () => (comparisons = await CompareAllAsync(tenants)).All(c => c.Complete),
            Patience,
            () => Task.FromResult(string.Join("; ", comparisons.Where(c => !c.Complete).Take(5))));
        return comparisons;
    }

    private async Task<GroundTruth[]> CompareAllAsync(IEnumerable<TestTenant> tenants) =>
        await Task.WhenAll(tenants.SelectMany(t => DefenderSources.Default.Select(
            source => GroundTruth.CompareAsync(simulator.Admin, _sinkFolder, t.TenantId, source))));

    private async Task AssertOneOwnerAtATimeAsync(IEnumerable<TestTenant> tenants)
    {
        var timelines = await Task.WhenAll(tenants.Select(t => CallTimeline.ReadAsync(simulator.Admin, t.TenantId)));
        Assert.All(timelines, t => Assert.All(t.Calls, c => Assert.False(string.IsNullOrEmpty(c.SiloId), "a call without X-Mssp-Silo-Id")));
        var findings = timelines.SelectMany(t => t.ConcurrentPolling(MaxPollGap)).ToList();
        Assert.True(findings.Count == 0, string.Join('\n', findings));
    }
}
