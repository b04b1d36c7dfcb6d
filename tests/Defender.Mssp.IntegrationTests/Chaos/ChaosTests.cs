using System.Diagnostics;
using Defender.Mssp.IntegrationTests.Infrastructure;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;
using Xunit.Abstractions;

namespace Defender.Mssp.IntegrationTests.Chaos;

/// <summary>
/// Three silo processes run a hundred tenants whose records keep coming, while the test kills a random silo with
/// SIGKILL at random moments and starts a successor (now and then armed to kill itself right after a sink write, before
/// the checkpoint), and once restarts storage. Afterwards the world stops changing and the run must show: the sink holds
/// every record version the API served, every duplicate repeats its idempotency key, nothing was invented, no two
/// silos polled one tenant at once, every tenant is Healthy, and no token of one tenant reached another's API. The
/// figures of the run are printed and written to <c>chaos/chaos-figures.{json,md}</c> under the test output.
/// Duration, seed and size come from <see cref="ChaosSettings"/> (CHAOS_DURATION_SECONDS and friends).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ChaosTests(AzuriteFixture sharedAzurite, SimulatorFixture simulator, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] Slots = ["a", "b", "c"];
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxPollGap = PollInterval * 1.5;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan SettlePatience = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan JoinPatience = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Storage stays down a little longer than a lease: a restarted Azurite forgets its leases (see
    /// <see cref="RestartableAzuriteTests"/>), which is harmless only once every lease would have expired anyway.
    /// </summary>
    private static readonly TimeSpan StorageDowntime = SiloEnvironment.LeaseDuration + TimeSpan.FromSeconds(2);

    /// <summary>A few records a minute per tenant: a hundred of them keep a two-core machine busy but not swamped.</summary>
    private static readonly GeneratorSpec Trickle = new()
    {
        History = TimeSpan.FromMinutes(2),
        IncidentsPerMinute = 2,
        SiemAlertsPerMinute = 2,
        VisibilityDelay = TimeSpan.FromSeconds(1),
        VisibilityJitter = TimeSpan.FromSeconds(2),
        UpdatedIncidentShare = 0.3,
        MaxUpdateDelay = TimeSpan.FromSeconds(20),
    };

    private readonly string _sinkFolder = Directory.CreateTempSubdirectory("defender-chaos-sink-").FullName;
    private readonly Dictionary<int, Slot> _slots = [];
    private RestartableAzurite _azurite = null!;
    private SiloFleet? _fleet;
    private int _kills;
    private int _failPointKills;
    private readonly List<string> _crashes = [];

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
    public async Task Silos_killed_at_random_and_a_storage_restart_lose_nothing_and_leave_every_tenant_healthy()
    {
        var settings = ChaosSettings.FromEnvironment();
        var plan = ChaosPlan.Create(settings.Seed, settings.Duration, Slots.Length);
        output.WriteLine($"chaos seed {settings.Seed} (CHAOS_SEED={settings.Seed} repeats its choices): {settings.Duration.TotalSeconds:F0} s, "
            + $"{settings.Tenants} tenants, {Slots.Length} silos, storage restart planned at {plan.StorageRestartAt.TotalSeconds:F0} s");
        var startedAt = DateTimeOffset.UtcNow;

        var app = Guid.NewGuid().ToString();
        var secret = TestTenant.NewSecret();
        var tenants = Enumerable.Range(0, settings.Tenants).Select(_ => TestTenant.Create(app, secret)).ToList();
        await Task.WhenAll(tenants.Select(t => t.RegisterAsync(simulator, Trickle)));
        var tenantIds = tenants.Select(t => t.TenantId).ToList();
        var containerName = AzuriteFixture.UniqueContainerName("chaos");
        var container = _azurite.ServiceClient.GetBlobContainerClient(containerName);
        var probe = new ClusterProbe(container);
        // The shared fixture only seeds the defaults; these silos use the test's own, restartable Azurite.
        var environment = new SiloEnvironment(sharedAzurite, simulator, containerName, _sinkFolder)
            .WithTenants(tenants, PollInterval, lookback: TimeSpan.FromMinutes(10))
            .Set("Storage:ConnectionString", _azurite.ConnectionString);
        _fleet = new SiloFleet(environment, output, outputTailChars: 4000);

        for (var slot = 0; slot < Slots.Length; slot++)
        {
            StartSilo(slot, failPointAfter: 0);
        }

        await WaitUntilBalancedAsync(probe, tenantIds);

        // The chaos: kills at random moments, one storage restart somewhere in the middle.
        var chaos = Stopwatch.StartNew();
        var storageRestarted = false;
        foreach (var kill in plan.Kills)
        {
            await Task.Delay(kill.Gap); // Deliberate: the schedule's random pause.
            if (chaos.Elapsed >= settings.Duration)
            {
                break;
            }

            ReplaceExited();
            if (!storageRestarted && chaos.Elapsed >= plan.StorageRestartAt)
            {
                await RestartStorageAsync(chaos.Elapsed);
                storageRestarted = true;
                continue;
            }

            await KillAsync(kill, chaos.Elapsed);
        }

        if (!storageRestarted)
        {
            await RestartStorageAsync(chaos.Elapsed);
        }

        // Calm: every slot runs an unarmed silo again.
        ReplaceExited();
        foreach (var (slot, current) in _slots.Where(pair => pair.Value.FailPointAfter > 0 && !pair.Value.Silo.HasExited).ToList())
        {
            await current.Silo.KillAsync();
            _kills++;
            output.WriteLine($"{chaos.Elapsed.TotalSeconds,5:F0} s: killed {current.Silo.Name}, still armed, at the end of the chaos");
            StartSilo(slot, failPointAfter: 0);
        }

        await WaitUntilJoinedAsync();
        ReplaceExited();
        var chaosSeconds = chaos.Elapsed.TotalSeconds;
        var calm = Stopwatch.StartNew();
        await WaitUntilBalancedAsync(probe, tenantIds);
        var audit = await SinkAudit.FreezeAndWaitForCompleteAsync(simulator.Admin, _sinkFolder, tenantIds, SettlePatience);
        var settleSeconds = calm.Elapsed.TotalSeconds;
        TenantStatus[] statuses = [];
        await Eventually.HoldsAsync(
            async () => (statuses = await TenantStatus.ReadAllAsync(container, tenantIds)).All(s => s.IsHealthy),
            Patience, () => Task.FromResult(string.Join('\n', statuses.Where(s => !s.IsHealthy).Take(10))));

        var timelines = await Timelines.ReadAsync(simulator.Admin, tenantIds);
        var ours = tenantIds.Select(id => id.ToString()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var violations = (await Task.WhenAll(tenantIds.Select(id => simulator.Admin.GetStatsAsync(id)))).Sum(s => s.IsolationViolations)
            + (await simulator.Admin.GetIsolationViolationsAsync()).Count(v => ours.Contains(v.TokenTenantId.ToString()) || ours.Contains(v.HeaderTenantId));
        var figures = new ChaosFigures
        {
            StartedAt = startedAt,
            Seed = settings.Seed,
            ChaosSeconds = chaosSeconds,
            Silos = Slots.Length,
            Tenants = tenantIds.Count,
            PollIntervalSeconds = PollInterval.TotalSeconds,
            Kills = _kills,
            FailPointKills = _failPointKills,
            AzuriteRestarts = _azurite.Starts - 1,
            AzuriteDowntimeSeconds = StorageDowntime.TotalSeconds,
            SiloIncarnations = _fleet.All.Count,
            RecordsChecked = audit.RecordsChecked,
            LinesDelivered = audit.LinesDelivered,
            Missing = audit.Missing,
            DuplicatesSeen = audit.DuplicateLines,
            TenantsWithDuplicates = audit.Comparisons.Where(c => c.Duplicates.Count > 0).Select(c => c.Name.Split('/')[0]).Distinct().Count(),
            SettleSeconds = settleSeconds,
            CallsChecked = timelines.Values.Sum(t => t.Calls.Count),
            IsolationViolations = violations,
        };
        var (json, markdown) = await figures.WriteAsync(settings.FiguresDirectory);
        output.WriteLine(figures.ToMarkdown());
        output.WriteLine($"figures written to {json} and {markdown}");

        Assert.True(_crashes.Count == 0, "silos exited by themselves:\n" + string.Join("\n\n", _crashes));
        Assert.True(figures.KillsSurvived >= 1, "the chaos killed nothing");
        Assert.Equal(0, audit.Invented);
        Assert.Empty(audit.DuplicatesWithAnotherKey);
        Assert.Equal(0, violations);
        Assert.All(timelines.Values, t => Assert.All(t.Calls, c => Assert.False(string.IsNullOrEmpty(c.SiloId), "a call without X-Mssp-Silo-Id")));
        var concurrent = timelines.Values.SelectMany(t => t.ConcurrentPolling(MaxPollGap)).ToList();
        Assert.True(concurrent.Count == 0, string.Join('\n', concurrent));
    }

    /// <summary>One of the three places a silo runs, and the incarnation running there now.</summary>
    private sealed record Slot(SiloProcess Silo, int Generation, int FailPointAfter);

    private void StartSilo(int slot, int failPointAfter)
    {
        var generation = _slots.TryGetValue(slot, out var previous) ? previous.Generation + 1 : 1;
        var name = $"silo-{Slots[slot]}{generation}";
        var silo = failPointAfter > 0
            ? _fleet!.Start(name, ("FailPoints:KillAfterSinkWrites", failPointAfter.ToString()))
            : _fleet!.Start(name);
        _slots[slot] = new Slot(silo, generation, failPointAfter);
    }

    /// <summary>
    /// Waits until every running silo has joined (its first heartbeat is written) or is gone by its own fail point. A
    /// silo that cannot reach storage while it starts exits at once, by design, so storage is restarted only after this.
    /// </summary>
    private Task WaitUntilJoinedAsync() =>
        Eventually.HoldsAsync(
            () => Task.FromResult(_slots.Values.All(s => s.Silo.HasExited || s.Silo.Output.Contains($"Silo {s.Silo.Name} joined the cluster", StringComparison.Ordinal))),
            JoinPatience, () => Task.FromResult(_fleet!.Tails()));

    private async Task KillAsync(ChaosKill kill, TimeSpan at)
    {
        var victim = _slots[kill.Slot].Silo;
        await victim.KillAsync();
        _kills++;
        await Task.Delay(kill.Down); // Deliberate: how long the slot stays empty.
        StartSilo(kill.Slot, kill.FailPointAfter);
        output.WriteLine($"{at.TotalSeconds,5:F0} s: killed {victim.Name}, {kill.Down.TotalSeconds:F1} s later started {_slots[kill.Slot].Silo.Name}"
            + (kill.FailPointAfter > 0 ? $" armed to die after {kill.FailPointAfter} sink writes" : ""));
    }

    /// <summary>Starts a successor for every silo that exited by itself: by its fail point, or (a failure) otherwise.</summary>
    private void ReplaceExited()
    {
        foreach (var (slot, current) in _slots.Where(pair => pair.Value.Silo.HasExited).ToList())
        {
            if (current.FailPointAfter > 0 && current.Silo.Output.Contains("Fail point: killing the silo", StringComparison.Ordinal))
            {
                _failPointKills++;
                output.WriteLine($"        {current.Silo.Name} killed itself after {current.FailPointAfter} sink writes");
            }
            else
            {
                _crashes.Add($"{current.Silo.Name} exited with {current.Silo.ExitCode}:\n{current.Silo.Output[^Math.Min(4000, current.Silo.Output.Length)..]}");
            }

            StartSilo(slot, failPointAfter: 0);
        }
    }

    private async Task RestartStorageAsync(TimeSpan at)
    {
        await WaitUntilJoinedAsync();
        ReplaceExited();
        await WaitUntilJoinedAsync();
        await _azurite.StopAsync();
        await Task.Delay(StorageDowntime); // Deliberate: the outage.
        await _azurite.RestartAsync();
        output.WriteLine($"{at.TotalSeconds,5:F0} s: storage stopped, restarted {StorageDowntime.TotalSeconds:F0} s later");
    }

    private async Task WaitUntilBalancedAsync(ClusterProbe probe, IReadOnlyList<Guid> tenantIds)
    {
        var names = _slots.Values.Select(s => s.Silo.Name).ToList();
        var fair = (tenantIds.Count + names.Count - 1) / names.Count;
        var least = Math.Max(0, tenantIds.Count - (names.Count - 1) * fair);
        await Eventually.HoldsAsync(
            () => probe.IsBalancedAsync(names, least, fair, tenantIds.Count), Patience, probe.DescribeAsync);
        await Timelines.WaitUntilOwnersPollAsync(simulator.Admin, tenantIds, names, least, Patience);
    }
}
