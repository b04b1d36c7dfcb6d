using System.Text.Json;
using Defender.Mssp.IntegrationTests.Infrastructure;
using Defender.Mssp.Sources;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;
using Xunit.Abstractions;

namespace Defender.Mssp.IntegrationTests;

/// <summary>
/// The walking skeleton end to end, every part real: a silo process polls three tenants (two on one multi-tenant
/// app, one on its own) over HTTPS with MSAL tokens from the simulator, keeps checkpoints in Azurite and writes JSON
/// lines — through a graceful restart, a SIGKILL, and a kill between sink write and checkpoint write — and the sink
/// ends up equal to the simulator's ground truth. A fourth tenant with a wrong secret fails alone.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class FoundationEndToEndTests(AzuriteFixture azurite, SimulatorFixture simulator, ITestOutputHelper output)
    : IAsyncLifetime
{
    private const int MaxBatchSize = 40;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static readonly GeneratorSpec Busy = new()
    {
        History = TimeSpan.FromMinutes(10),     // ~150 incidents before the first poll: more than one $top=100 page
        IncidentsPerMinute = 15,
        SiemAlertsPerMinute = 20,
        VisibilityDelay = TimeSpan.FromSeconds(1),
        VisibilityJitter = TimeSpan.FromSeconds(2),   // late arrival within the overlap
        UpdatedIncidentShare = 0.5,
        MaxUpdateDelay = TimeSpan.FromSeconds(20),    // incidents change while the test runs
    };

    private readonly string _sinkFolder = Directory.CreateTempSubdirectory("defender-sink-").FullName;
    private readonly List<SiloProcess> _silos = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            output.WriteLine($"--- {silo.Name} (exit {(silo.HasExited ? silo.ExitCode.ToString() : "running")}) ---");
            output.WriteLine(silo.Output.Length > 20_000 ? silo.Output[^20_000..] : silo.Output);
            await silo.DisposeAsync();
        }

        Directory.Delete(_sinkFolder, recursive: true);
    }

    [Fact]
    public async Task Sink_equals_ground_truth_across_restarts_and_crashes_and_a_bad_tenant_fails_alone()
    {
        var msspApp = Guid.NewGuid().ToString();
        var msspSecret = TestTenant.NewSecret();
        var good = new[]
        {
            TestTenant.Create(msspApp, msspSecret),
            TestTenant.Create(msspApp, msspSecret),
            TestTenant.Create(Guid.NewGuid().ToString(), TestTenant.NewSecret()),
        };
        var wrongSecret = TestTenant.Create(Guid.NewGuid().ToString(), TestTenant.NewSecret(), configuredSecret: TestTenant.NewSecret());
        foreach (var tenant in good.Append(wrongSecret))
        {
            await tenant.RegisterAsync(simulator, Busy);
        }

        var container = AzuriteFixture.UniqueContainerName("e2e");
        var environment = new SiloEnvironment(azurite, simulator, container, _sinkFolder)
            .WithTenants([.. good, wrongSecret], PollInterval, lookback: TimeSpan.FromHours(1))
            .Set("Polling:MaxBatchSize", MaxBatchSize.ToString())
            .Set("Defender:SiemPageLimit", "50");   // SIEM windows are split, nothing cut off

        // 1. Several polls of one silo: records flow, one token per tenant and resource, >100 incidents paged.
        var first = Start("silo-1", environment.With());
        await Eventually.HoldsAsync(
            async () => (await Task.WhenAll(good.Select(t => simulator.Admin.GetStatsAsync(t.TenantId))))
                .All(s => s.Calls(DefenderSources.Incidents, 200) >= 8 && s.Calls(DefenderSources.Siem, 200) >= 5),
            Patience, () => Task.FromResult(first.Output));
        foreach (var tenant in good)
        {
            var stats = await simulator.Admin.GetStatsAsync(tenant.TenantId);
            Assert.Equal(2, stats.TokenRequests.Succeeded);   // incidents and SIEM resources, each once per lifetime
            Assert.Equal(0, stats.TokenRequests.Failed);
        }

        var calls = await simulator.Admin.GetCallsAsync(good[0].TenantId);
        Assert.Contains(calls.Calls, c => c.Source == DefenderSources.Incidents
            && (c.Query.Contains("$skip=100", StringComparison.Ordinal) || c.Query.Contains("%24skip=100", StringComparison.Ordinal)));

        // 2. Graceful restart mid-stream.
        await first.StopAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, first.ExitCode);
        var second = Start("silo-2", environment.With());
        await WaitForMoreDeliveries(good, second);

        // 3. Crash (SIGKILL), then a silo killed right after a sink write, before its checkpoint write.
        await second.KillAsync();
        var third = Start("silo-3", environment.With(("FailPoints:KillAfterSinkWrites", "2")));
        await third.WaitForExitAsync(Patience);
        Assert.Equal(137, third.ExitCode);   // SIGKILL by its own fail point, not by the test
        Assert.Contains("Fail point: killing the silo", third.Output, StringComparison.Ordinal);

        // 4. A healthy silo again; the world stops changing; everything the API served must arrive.
        var fourth = Start("silo-4", environment.With());
        foreach (var tenant in good.Append(wrongSecret))
        {
            await simulator.Admin.StopGeneratorAsync(tenant.TenantId);
        }

        await Eventually.HoldsAsync(
            async () => (await CompareAll(good)).All(c => c.Complete),
            Patience,
            async () => string.Join("; ", await CompareAll(good)) + "\n" + fourth.Output);

        foreach (var comparison in await CompareAll(good))
        {
            output.WriteLine(comparison.ToString());
            Assert.Empty(comparison.Invented);
            // A duplicate only ever repeats an unacknowledged batch, under the key the original carried.
            Assert.All(comparison.Duplicates, d => Assert.Single(d.Select(e => e.IdempotencyKey).Distinct()));
            Assert.True(comparison.Duplicates.Sum(d => d.Count() - 1) <= 3 * MaxBatchSize, comparison.ToString());
        }

        // The tenant with the wrong secret got nothing and says why; the others were not held up by it.
        Assert.False(Directory.Exists(Path.Combine(_sinkFolder, wrongSecret.TenantId.ToString())));
        var badStats = await simulator.Admin.GetStatsAsync(wrongSecret.TenantId);
        Assert.True(badStats.TokenRequests.ByError.ContainsKey("AADSTS7000215"));
        Assert.Equal(0, badStats.Calls(DefenderSources.Incidents) + badStats.Calls(DefenderSources.Siem));
        Assert.Equal("AuthFailed", await ReadHealthAsync(container, wrongSecret.TenantId));
        Assert.Equal(0, (await simulator.Admin.GetAllStatsAsync()).Global.IsolationViolations);

        await fourth.StopAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, fourth.ExitCode);

        // No secret in any log line of any silo.
        foreach (var secret in good.Append(wrongSecret).SelectMany(t => new[] { t.RegisteredSecret, t.ConfiguredSecret }).Distinct())
        {
            Assert.All(_silos, silo => Assert.DoesNotContain(secret, silo.Output, StringComparison.Ordinal));
        }
    }

    private SiloProcess Start(string name, IReadOnlyDictionary<string, string> environment)
    {
        var silo = SiloProcess.Start(name, environment);
        _silos.Add(silo);
        return silo;
    }

    private async Task<GroundTruth[]> CompareAll(IEnumerable<TestTenant> tenants) =>
        await Task.WhenAll(tenants.SelectMany(t => DefenderSources.Default.Select(
            source => GroundTruth.CompareAsync(simulator.Admin, _sinkFolder, t.TenantId, source))));

    private async Task WaitForMoreDeliveries(IEnumerable<TestTenant> tenants, SiloProcess silo)
    {
        var before = (await CompareAll(tenants)).Sum(c => c.Delivered);
        await Eventually.HoldsAsync(
            async () => (await CompareAll(tenants)).Sum(c => c.Delivered) > before + 20,
            Patience, () => Task.FromResult(silo.Output));
    }

    private async Task<string?> ReadHealthAsync(string container, Guid tenantId)
    {
        var blob = azurite.ServiceClient.GetBlobContainerClient(container).GetBlobClient($"state/{tenantId}.json");
        var content = await blob.DownloadContentAsync();
        using var state = JsonDocument.Parse(content.Value.Content.ToMemory());
        return state.RootElement.GetProperty("health").GetString();
    }
}
