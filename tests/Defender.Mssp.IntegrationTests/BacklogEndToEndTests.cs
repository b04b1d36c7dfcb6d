using System.Text.Json;
using Defender.Mssp.IntegrationTests.Infrastructure;
using Defender.Mssp.Sources;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;
using Xunit.Abstractions;

namespace Defender.Mssp.IntegrationTests;

/// <summary>
/// A tenant onboarded with half a day of backlog: a real silo reads it in slices, delivers it once and in order and keeps
/// a checkpoint the size of one overlap while it does; a SIGKILL in the middle of the backlog costs at most one batch.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class BacklogEndToEndTests(AzuriteFixture azurite, SimulatorFixture simulator, ITestOutputHelper output)
    : IAsyncLifetime
{
    private const int MaxBatchSize = 100;
    private const int SliceRecords = 500;
    private const double AlertsPerMinute = 20;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly SiloScope _scope = new("backlog", output);
    private readonly CancellationTokenSource _stopProbe = new();
    private int _largestSeen;
    private int _probes;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stopProbe.CancelAsync();
        _stopProbe.Dispose();
        await _scope.DisposeAsync();
    }

    [Fact]
    public async Task A_backlog_is_delivered_once_in_slices_with_a_checkpoint_of_one_overlap_and_a_crash_repeats_one_batch()
    {
        var tenant = TestTenant.Create(Guid.NewGuid().ToString(), TestTenant.NewSecret());
        await tenant.RegisterAsync(simulator, new GeneratorSpec
        {
            History = TimeSpan.FromHours(12),       // ~14,400 SIEM alerts and ~1,440 incidents before the first poll
            SiemAlertsPerMinute = AlertsPerMinute,
            IncidentsPerMinute = 2,
        });
        // Every SIEM answer takes 150 ms, so the backlog takes long enough to be killed in the middle of.
        await simulator.Admin.AddFaultAsync(tenant.TenantId, new FaultSpec
        {
            Source = SimulatorFaultSource.Siem, Kind = SimulatorFaultKind.Stall, StallSeconds = 0.15,
        });

        var container = AzuriteFixture.UniqueContainerName("backlog");
        var environment = new SiloEnvironment(azurite, simulator, container, _scope.SinkFolder)
            .WithTenants([tenant], TimeSpan.FromSeconds(2), lookback: TimeSpan.FromHours(13))
            .Set("Polling:MaxBatchSize", MaxBatchSize.ToString())
            .Set("Polling:SliceRecords", SliceRecords.ToString());
        var probe = ProbeCheckpointAsync(container, tenant.TenantId, _stopProbe.Token);

        var first = _scope.Start("silo-1", environment.With());
        var siemFile = Path.Combine(_scope.SinkFolder, tenant.TenantId.ToString(), DefenderSources.Siem + ".jsonl");
        await Eventually.HoldsAsync(
            () => Task.FromResult(File.Exists(siemFile) && File.ReadLines(siemFile).Count() >= 3_000),
            Patience, () => Task.FromResult(first.Output));
        await first.KillAsync();
        var deliveredBeforeKill = File.ReadLines(siemFile).Count();

        var second = _scope.Start("silo-2", environment.With());
        await simulator.Admin.StopGeneratorAsync(tenant.TenantId);
        await Eventually.HoldsAsync(
            async () => (await CompareAll(tenant)).All(c => c.Complete),
            Patience, async () => string.Join("; ", await CompareAll(tenant)) + "\n" + second.Output);
        await _stopProbe.CancelAsync();
        await probe;

        var siem = await GroundTruth.CompareAsync(simulator.Admin, _scope.SinkFolder, tenant.TenantId, DefenderSources.Siem);
        output.WriteLine($"{siem}; {deliveredBeforeKill} delivered before the kill; largest seen set {_largestSeen} in {_probes} probes");
        Assert.InRange(deliveredBeforeKill, 3_000, siem.Expected - 1);   // killed with the backlog half done
        foreach (var comparison in await CompareAll(tenant))
        {
            Assert.Empty(comparison.Invented);
            // The kill repeats at most the batch in flight, under the key it first carried.
            Assert.InRange(comparison.Duplicates.Sum(d => d.Count() - 1), 0, MaxBatchSize);
            Assert.All(comparison.Duplicates, d => Assert.Single(d.Select(e => e.IdempotencyKey).Distinct()));
        }

        // Read in slices: many bounded SIEM requests, none of them asking for the whole half day.
        var calls = (await simulator.Admin.GetCallsAsync(tenant.TenantId)).Calls.Count(c => c.Source == DefenderSources.Siem);
        Assert.True(calls >= siem.Expected / (SliceRecords * 4), $"{calls} SIEM calls for {siem.Expected} alerts");

        // An overlap (5 min) holds ~100 alerts and ~10 incidents; with one batch on top the checkpoint never came near the
        // thousands of keys that keeping the whole window's would have meant.
        Assert.True(_probes > 5, $"{_probes} probes of the state blob");
        Assert.InRange(_largestSeen, 1, (int)(5 * AlertsPerMinute) + 10 + MaxBatchSize + 50);
    }

    private async Task<GroundTruth[]> CompareAll(TestTenant tenant) =>
        await Task.WhenAll(DefenderSources.Default.Select(
            source => GroundTruth.CompareAsync(simulator.Admin, _scope.SinkFolder, tenant.TenantId, source)));

    /// <summary>Reads the tenant's state blob over and over, keeping the largest seen set of any source.</summary>
    private async Task ProbeCheckpointAsync(string container, Guid tenantId, CancellationToken cancellationToken)
    {
        var blob = azurite.ServiceClient.GetBlobContainerClient(container).GetBlobClient($"state/{tenantId}.json");
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var content = await blob.DownloadContentAsync(cancellationToken);
                // The lease holds an empty blob until the grain's first save.
                using var state = content.Value.Content.ToMemory().Length == 0
                    ? JsonDocument.Parse("{}")
                    : JsonDocument.Parse(content.Value.Content.ToMemory());
                var sources = state.RootElement.TryGetProperty("sources", out var found) ? found.EnumerateObject().ToList() : [];
                foreach (var source in sources)
                {
                    if (source.Value.TryGetProperty("seen", out var seen))
                    {
                        _largestSeen = Math.Max(_largestSeen, seen.GetArrayLength());
                    }
                }

                _probes++;
                await Task.Delay(100, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Azure.RequestFailedException exception) when (exception.Status == 404)
            {
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }
}
