using System.Globalization;
using System.Text.Json;
using Defender.Mssp.IntegrationTests.Infrastructure;
using Defender.Mssp.Sinks;
using Defender.Mssp.Sources;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;
using Xunit.Abstractions;

namespace Defender.Mssp.IntegrationTests;

/// <summary>
/// The successor APIs end to end, every part real: a silo process reads Defender for Endpoint alerts, Graph alerts_v2
/// and Graph incidents of a simulated tenant over HTTPS with MSAL tokens, pages them, keeps checkpoints in Azurite and
/// writes JSON lines that end up equal to the simulator's ground truth; and a tenant moved from the SIEM API to Graph
/// alerts by configuration carries on at the SIEM checkpoint, with no gap and no re-read of its history.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class SuccessorSourcesEndToEndTests(AzuriteFixture azurite, SimulatorFixture simulator, ITestOutputHelper output)
    : IAsyncLifetime
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Taken from <see cref="SiloEnvironment"/>: where each window starts before the watermark.</summary>
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(1);

    private static readonly GeneratorSpec Busy = new()
    {
        History = TimeSpan.FromMinutes(10),
        IncidentsPerMinute = 8,
        SiemAlertsPerMinute = 12,
        VisibilityDelay = TimeSpan.FromSeconds(1),
        VisibilityJitter = TimeSpan.FromSeconds(2),   // late arrival within the overlap
        UpdatedIncidentShare = 0.5,
        MaxUpdateDelay = TimeSpan.FromSeconds(20),    // incidents and their alerts change while the test runs
    };

    private readonly string _sinkFolder = Directory.CreateTempSubdirectory("defender-successors-").FullName;
    private readonly List<SiloProcess> _silos = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            output.WriteLine($"--- {silo.Name} (exit {(silo.HasExited ? silo.ExitCode.ToString(CultureInfo.InvariantCulture) : "running")}) ---");
            output.WriteLine(silo.Output.Length > 20_000 ? silo.Output[^20_000..] : silo.Output);
            await silo.DisposeAsync();
        }

        Directory.Delete(_sinkFolder, recursive: true);
    }

    [Fact]
    public async Task Sink_equals_ground_truth_for_alerts_graph_alerts_and_graph_incidents()
    {
        string[] sources = [DefenderSources.Alerts, DefenderSources.GraphAlerts, DefenderSources.GraphIncidents];
        var tenant = await RegisterAsync();
        var environment = Environment(AzuriteFixture.UniqueContainerName("successors"), tenant, sources)
            .Set("Defender:AlertsPageSize", "60")           // more than one page of each, by $skip…
            .Set("Defender:GraphAlertsPageSize", "60")      // …and by @odata.nextLink
            .Set("Defender:GraphIncidentsPageSize", "25")
            .Set("Defender:GraphIncidentsExpandAlerts", "true");

        var silo = Start("silo-successors", environment.With());
        await Eventually.HoldsAsync(
            async () =>
            {
                var stats = await simulator.Admin.GetStatsAsync(tenant.TenantId);
                return sources.All(s => stats.Calls(s, 200) >= 6) && (await CompareAsync(tenant, sources)).All(c => c.Delivered > 0);
            },
            Patience, () => Task.FromResult(silo.Output));

        // Alerts change in place while the world runs (MaxUpdateDelay): wait for one update to have been delivered
        // as a second version, then freeze the world.
        await Eventually.HoldsAsync(
            () => Task.FromResult(Sink(tenant, DefenderSources.GraphAlerts).GroupBy(e => e.Id).Any(versions => versions.Count() > 1)),
            Patience, () => Task.FromResult(silo.Output));
        await simulator.Admin.StopGeneratorAsync(tenant.TenantId);

        await Eventually.HoldsAsync(
            async () => (await CompareAsync(tenant, sources)).All(c => c.Complete),
            Patience, async () => string.Join("; ", await CompareAsync(tenant, sources)) + "\n" + silo.Output);
        foreach (var comparison in await CompareAsync(tenant, sources))
        {
            output.WriteLine(comparison.ToString());
            Assert.Empty(comparison.Invented);
            Assert.Empty(comparison.Duplicates);   // no crash here: every version exactly once
        }

        // Updates in place arrived as new versions of the same ids.
        var graphAlerts = Sink(tenant, DefenderSources.GraphAlerts);
        Assert.Contains(graphAlerts.GroupBy(e => e.Id), versions => versions.Count() > 1);
        // Incidents merged into others were delivered, with their redirectIncidentId.
        var truth = await simulator.Admin.GetTruthAsync(tenant.TenantId, DefenderSources.GraphIncidents, includeRecords: true);
        var merged = truth.Where(t => t.Visible && t.Record!.Value.GetProperty("redirectIncidentId").ValueKind == JsonValueKind.String)
            .Select(t => (t.Id, t.LastUpdateTime.UtcTicks)).ToHashSet();
        Assert.True(merged.IsSubsetOf(Sink(tenant, DefenderSources.GraphIncidents).Select(e => (e.Id, e.LastUpdateTime.UtcTicks))));

        // Pages: $top/$skip for the alerts API; Graph only ever by nextLink (no $skip, the API caps it at 500).
        var calls = (await simulator.Admin.GetCallsAsync(tenant.TenantId)).Calls;
        Assert.Contains(calls, c => c.Source == DefenderSources.Alerts && Query(c).Contains("$skip=60", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.Source == DefenderSources.GraphAlerts && Query(c).Contains("$skiptoken=", StringComparison.Ordinal));
        Assert.DoesNotContain(calls, c => c.Source.StartsWith("graph-", StringComparison.Ordinal) && Query(c).Contains("$skip=", StringComparison.Ordinal));
        Assert.DoesNotContain(calls, c => c.Status == 429);

        // One token per resource: the Defender for Endpoint API and Graph.
        Assert.Equal(2, (await simulator.Admin.GetStatsAsync(tenant.TenantId)).TokenRequests.Succeeded);
        await silo.StopAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, silo.ExitCode);
    }

    [Fact]
    public async Task Moving_a_tenant_from_siem_to_graph_alerts_continues_at_the_siem_checkpoint_without_a_gap()
    {
        var tenant = await RegisterAsync();
        var container = AzuriteFixture.UniqueContainerName("succession");   // shared: the second silo finds the first's checkpoints

        // 1. The tenant reads the SIEM API for a while.
        var onSiem = Start("silo-siem", Environment(container, tenant, [DefenderSources.Siem]).Set("Defender:SiemPageLimit", "50").With());
        await Eventually.HoldsAsync(
            async () => (await simulator.Admin.GetStatsAsync(tenant.TenantId)).Calls(DefenderSources.Siem, 200) >= 5,
            Patience, () => Task.FromResult(onSiem.Output));
        await onSiem.StopAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, onSiem.ExitCode);
        var watermark = await ReadWatermarkAsync(container, tenant.TenantId, DefenderSources.Siem);
        var siemDelivered = Sink(tenant, DefenderSources.Siem);

        // 2. Its configuration names Graph alerts instead; a silo starts with it over the same state.
        var onGraph = Start("silo-graph", Environment(container, tenant, [DefenderSources.GraphAlerts]).With());
        await Eventually.HoldsAsync(
            async () => (await simulator.Admin.GetStatsAsync(tenant.TenantId)).Calls(DefenderSources.GraphAlerts, 200) >= 5,
            Patience, () => Task.FromResult(onGraph.Output));
        await simulator.Admin.StopGeneratorAsync(tenant.TenantId);

        // The first Graph request starts an overlap before the SIEM watermark: no look-back, no gap.
        var calls = (await simulator.Admin.GetCallsAsync(tenant.TenantId)).Calls;
        var firstGraph = calls.First(c => c.Source == DefenderSources.GraphAlerts);
        Assert.Contains($"lastUpdateDateTime ge {(watermark - Overlap).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'}", Query(firstGraph));
        Assert.DoesNotContain(calls, c => c.Source == DefenderSources.Siem && c.Time > firstGraph.Time);

        // Graph alerts cover the truth from the overlap before the watermark on, and nothing older was read again.
        var from = watermark - Overlap;
        await Eventually.HoldsAsync(
            async () => (await MissingGraphAlertsAsync(tenant, from)).Count == 0,
            Patience, async () => $"missing {string.Join(", ", (await MissingGraphAlertsAsync(tenant, from)).Take(5))}\n{onGraph.Output}");
        var graphDelivered = Sink(tenant, DefenderSources.GraphAlerts);
        Assert.NotEmpty(graphDelivered);
        Assert.All(graphDelivered, e => Assert.True(e.LastUpdateTime >= from, $"{e.Id}@{e.LastUpdateTime:O} was read again"));

        // Across the switch every SIEM alert is in the sink, under the SIEM API before it or Graph after it
        // (Microsoft's field map: the SIEM AlertId is the Graph alert id).
        var siemTruth = await simulator.Admin.GetTruthAsync(tenant.TenantId, DefenderSources.Siem, includeRecords: true);
        var alertIds = siemTruth.Where(t => t.Visible).Select(t => t.Record!.Value.GetProperty("AlertId").GetString()!).ToHashSet();
        var covered = siemDelivered.Select(e => e.Record.GetProperty("AlertId").GetString()!)
            .Concat(graphDelivered.Select(e => e.Id)).ToHashSet();
        Assert.Empty(alertIds.Except(covered));
        // Before the switch the SIEM sink was complete up to its watermark.
        var siemKeys = siemDelivered.Select(e => (e.Id, e.LastUpdateTime.UtcTicks)).ToHashSet();
        Assert.All(siemTruth.Where(t => t.Visible && t.LastUpdateTime < watermark - TimeSpan.FromSeconds(10)),
            t => Assert.Contains((t.Id, t.LastUpdateTime.UtcTicks), siemKeys));

        await onGraph.StopAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, onGraph.ExitCode);
    }

    private async Task<TestTenant> RegisterAsync()
    {
        var tenant = TestTenant.Create(Guid.NewGuid().ToString(), TestTenant.NewSecret());
        await SimulatorTenantExtras.PutTenantAsync(
            simulator.CreateHttpClient(), TenantSpec.Create(tenant.TenantId, tenant.ClientId, tenant.RegisteredSecret, Busy),
            updatedAlertShare: 0.5);
        return tenant;
    }

    private SiloEnvironment Environment(string container, TestTenant tenant, IReadOnlyList<string> sources)
    {
        var environment = new SiloEnvironment(azurite, simulator, container, _sinkFolder)
            .WithTenants([tenant], PollInterval, lookback: TimeSpan.FromHours(1));
        for (var i = 0; i < sources.Count; i++)
        {
            environment.Set($"Tenants:0:Sources:{i}", sources[i]);
        }

        return environment;
    }

    private SiloProcess Start(string name, IReadOnlyDictionary<string, string> environment)
    {
        var silo = SiloProcess.Start(name, environment);
        _silos.Add(silo);
        return silo;
    }

    private async Task<GroundTruth[]> CompareAsync(TestTenant tenant, IEnumerable<string> sources) =>
        await Task.WhenAll(sources.Select(source => GroundTruth.CompareAsync(simulator.Admin, _sinkFolder, tenant.TenantId, source)));

    private IReadOnlyList<Records.RecordEnvelope> Sink(TestTenant tenant, string source) =>
        JsonLinesSinkReader.Read(_sinkFolder, tenant.TenantId.ToString(), source, skipTornLines: true);

    /// <summary>The latest visible version of every Graph alert last updated at or after <paramref name="from"/> not in the sink.</summary>
    private async Task<List<string>> MissingGraphAlertsAsync(TestTenant tenant, DateTimeOffset from)
    {
        var truth = await simulator.Admin.GetTruthAsync(tenant.TenantId, DefenderSources.GraphAlerts);
        var delivered = Sink(tenant, DefenderSources.GraphAlerts).Select(e => (e.Id, e.LastUpdateTime.UtcTicks)).ToHashSet();
        return
        [
            .. truth.Where(t => t.Visible).GroupBy(t => t.Id).Select(g => g.MaxBy(t => t.LastUpdateTime)!)
                .Where(t => t.LastUpdateTime >= from && !delivered.Contains((t.Id, t.LastUpdateTime.UtcTicks)))
                .Select(t => $"{t.Id}@{t.LastUpdateTime:O}"),
        ];
    }

    private async Task<DateTimeOffset> ReadWatermarkAsync(string container, Guid tenantId, string source)
    {
        var blob = azurite.ServiceClient.GetBlobContainerClient(container).GetBlobClient($"state/{tenantId}.json");
        var content = await blob.DownloadContentAsync();
        using var state = JsonDocument.Parse(content.Value.Content.ToMemory());
        return state.RootElement.GetProperty("sources").GetProperty(source).GetProperty("watermark").GetDateTimeOffset();
    }

    private static string Query(SimulatorCall call) => Uri.UnescapeDataString(call.Query);
}
