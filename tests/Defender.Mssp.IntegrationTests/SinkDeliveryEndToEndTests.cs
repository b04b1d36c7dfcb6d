using System.Globalization;
using System.Text.Json;
using CsvHelper;
using Defender.Mssp.IntegrationTests.Infrastructure;
using Defender.Mssp.Records;
using Defender.Mssp.Sinks;
using Defender.Mssp.Sources;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;
using Defender.Mssp.TestKit.Sinks;
using Xunit.Abstractions;

namespace Defender.Mssp.IntegrationTests;

/// <summary>
/// Sinks through a real silo process: tenant A delivers to JSON Lines and a Splunk HEC collector (a loopback HTTPS
/// receiver), tenant B to JSON Lines and CSV, each through its <c>Sinks:Tenants:{id}</c> override. The collector
/// answers 500s, then 429s, then hangs: A shows <c>SinkFailing</c> and does not advance while B keeps being delivered;
/// after recovery every record of A's ground truth is at the collector, in order, with its idempotency key, and the
/// failed requests are exactly the ones the collector refused.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class SinkDeliveryEndToEndTests(AzuriteFixture azurite, SimulatorFixture simulator, ITestOutputHelper output)
    : IAsyncLifetime
{
    private const int MaxBatchSize = 25;
    private const int ServerErrors = 12;
    private const int Throttles = 12;
    private const int Hangs = 3;
    private const string HecToken = "hec-token-5f1e0c9a";
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    // Records become visible in time order and are never updated, so each source's delivery order is its time order.
    private static readonly GeneratorSpec Steady = new()
    {
        History = TimeSpan.FromMinutes(5),
        IncidentsPerMinute = 12,
        SiemAlertsPerMinute = 12,
        VisibilityDelay = TimeSpan.FromSeconds(1),
        VisibilityJitter = TimeSpan.Zero,
        UpdatedIncidentShare = 0,
    };

    private readonly string _folder = Directory.CreateTempSubdirectory("defender-sinks-e2e-").FullName;
    private readonly List<SiloProcess> _silos = [];
    private LoopbackHttpReceiver _hec = null!;

    private string JsonLinesFolder => Path.Combine(_folder, "jsonl");

    private string CsvFolder => Path.Combine(_folder, "csv");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(JsonLinesFolder);
        TestCertificates.WritePublicPem(TestCertificates.Server, Path.Combine(_folder, "hec-anchors.pem"));
        _hec = await LoopbackHttpReceiver.StartAsync(TestCertificates.Server);
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            output.WriteLine($"--- {silo.Name} (exit {(silo.HasExited ? silo.ExitCode.ToString(CultureInfo.InvariantCulture) : "running")}) ---");
            output.WriteLine(silo.Output.Length > 20_000 ? silo.Output[^20_000..] : silo.Output);
            await silo.DisposeAsync();
        }

        await _hec.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_collector_outage_holds_only_its_tenant_at_SinkFailing_and_after_recovery_every_record_arrives_in_order()
    {
        var a = TestTenant.Create(Guid.NewGuid().ToString(), TestTenant.NewSecret());
        var b = TestTenant.Create(Guid.NewGuid().ToString(), TestTenant.NewSecret());
        await a.RegisterAsync(simulator, Steady);
        await b.RegisterAsync(simulator, Steady);
        _hec.Fail(ServerErrors, 500);
        _hec.Fail(Throttles, 429, retryAfter: TimeSpan.FromSeconds(1));
        _hec.Hang(Hangs);

        var container = AzuriteFixture.UniqueContainerName("sinks");
        var environment = new SiloEnvironment(azurite, simulator, container, JsonLinesFolder)
            .WithTenants([a, b], PollInterval, lookback: TimeSpan.FromHours(1))
            .Set("Polling:MaxBatchSize", MaxBatchSize.ToString(CultureInfo.InvariantCulture))
            .Set("Polling:InitialFailureBackoff", "00:00:02")
            .Set("Polling:MaxFailureBackoff", "00:00:05")
            .Set("Sinks:Definitions:hec:Type", "Http")
            .Set("Sinks:Definitions:hec:Flavour", "SplunkHec")
            .Set("Sinks:Definitions:hec:Url", _hec.BaseAddress.ToString())
            .Set("Sinks:Definitions:hec:Token", HecToken)
            .Set("Sinks:Definitions:hec:Index", "mssp")
            .Set("Sinks:Definitions:hec:Gzip", "true")
            .Set("Sinks:Definitions:hec:TrustedCertificatesPath", Path.Combine(_folder, "hec-anchors.pem"))
            .Set("Sinks:Definitions:hec:Timeout", "00:00:02")
            .Set("Sinks:Definitions:hec:MaxRetryAttempts", "2")
            .Set("Sinks:Definitions:hec:RetryBaseDelay", "00:00:00.200")
            .Set("Sinks:Definitions:hec:RetryMaxDelay", "00:00:01")
            .Set("Sinks:Definitions:csv:Type", "Csv")
            .Set("Sinks:Definitions:csv:Path", CsvFolder)
            .Set($"Sinks:Tenants:{a.TenantId}:Sinks", "hec")
            .Set($"Sinks:Tenants:{b.TenantId}:Sinks", "csv");
        var silo = SiloProcess.Start("silo-sinks", environment.With());
        _silos.Add(silo);

        // 1. The collector refuses: A is SinkFailing and its failing sources have not moved; B is delivered meanwhile.
        JsonElement? failingState = null;
        await Eventually.HoldsAsync(async () =>
            {
                var stateA = await ReadStateAsync(container, a.TenantId);
                var stateB = await ReadStateAsync(container, b.TenantId);
                var deliveredB = await Task.WhenAll(DefenderSources.Default.Select(source => CompareAsync(b, source)));
                if (Health(stateA) == "SinkFailing"
                    && Health(stateB) == "Healthy"
                    && deliveredB.All(comparison => comparison.Delivered > 0))
                {
                    failingState = stateA;
                    return true;
                }

                return false;
            },
            Patience, () => Task.FromResult($"HEC requests {_hec.Requests.Count}\n{silo.Output}"));
        var held = failingState!.Value;
        Assert.Equal("sink_failed", held.GetProperty("lastError").GetProperty("code").GetString());
        Assert.Contains("hec", held.GetProperty("lastError").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(HecToken, held.GetRawText(), StringComparison.Ordinal);
        var failingSources = held.GetProperty("sources").EnumerateObject()
            .Where(source => source.Value.GetProperty("health").GetString() == "SinkFailing").ToList();
        Assert.NotEmpty(failingSources);
        Assert.All(failingSources, source => Assert.True(
            source.Value.GetProperty("watermark").ValueKind == JsonValueKind.Null, $"{source.Name} advanced while its sink failed"));

        // 2. The collector has used up its failures and answers 200: everything the API served arrives.
        await simulator.Admin.StopGeneratorAsync(a.TenantId);
        await simulator.Admin.StopGeneratorAsync(b.TenantId);
        await Eventually.HoldsAsync(
            async () => (await MissingAtCollectorAsync(a)).Count == 0
                        && (await Task.WhenAll(new[] { a, b }.SelectMany(t => DefenderSources.Default.Select(s => CompareAsync(t, s))))).All(c => c.Complete)
                        && Health(await ReadStateAsync(container, a.TenantId)) == "Healthy",
            Patience,
            async () => $"missing at collector: {(await MissingAtCollectorAsync(a)).Count}; HEC requests {_hec.Requests.Count}\n{silo.Output}");

        // Retries were bounded: the only requests not acknowledged are the ones the collector was told to refuse.
        var requests = _hec.Requests;
        Assert.Equal(ServerErrors + Throttles + Hangs, requests.Count(request => request.Status is < 200 or >= 300));
        Assert.Equal(ServerErrors, requests.Count(request => request.Status == 500));
        Assert.Equal(Throttles, requests.Count(request => request.Status == 429));
        Assert.All(requests, request =>
        {
            Assert.Equal("/services/collector/event", request.Path);
            Assert.Equal($"Splunk {HecToken}", request.Headers["Authorization"]);
        });

        var events = AcceptedEvents();
        output.WriteLine($"HEC: {requests.Count} requests, {_hec.Accepted.Count} acknowledged, {events.Count} events, "
                         + $"{events.Select(e => e.IdempotencyKey).Distinct().Count()} distinct; held state: {held.GetRawText()}");
        Assert.All(events, e => Assert.Equal(a.TenantId.ToString(), e.TenantId));   // B's override has no HEC sink
        foreach (var e in events)
        {
            Assert.Equal(IdempotencyKey.Compute(e.TenantId, e.Source, new RecordKey(e.Id, e.LastUpdateTime)), e.IdempotencyKey);
            Assert.Equal(e.IdempotencyKey, e.FieldsIdempotencyKey);
            Assert.Equal("mssp", e.Index);
        }

        Assert.True(events.Count - events.Select(e => e.IdempotencyKey).Distinct().Count() <= MaxBatchSize, "Too many re-deliveries");
        foreach (var source in DefenderSources.Default)
        {
            // Per tenant and source, records reach the collector in the order the grain delivers them: by time.
            var firsts = events.Where(e => e.Source == source).DistinctBy(e => e.IdempotencyKey).Select(e => e.LastUpdateTime).ToList();
            Assert.NotEmpty(firsts);
            Assert.True(firsts.Zip(firsts.Skip(1)).All(pair => pair.First <= pair.Second), $"{source} arrived out of order");
        }

        // 3. B's CSV holds exactly its JSON Lines envelopes; A has none (its override names no CSV sink).
        foreach (var source in DefenderSources.Default)
        {
            var jsonLines = JsonLinesSinkReader.Read(JsonLinesFolder, b.TenantId.ToString(), source);
            var csv = ReadCsv(b.TenantId, source);
            Assert.Equal(jsonLines.Count, csv.Count);
            for (var i = 0; i < jsonLines.Count; i++)
            {
                Assert.Equal(
                    (jsonLines[i].TenantId, jsonLines[i].Source, jsonLines[i].Id, jsonLines[i].LastUpdateTime, jsonLines[i].IdempotencyKey),
                    (csv[i].TenantId, csv[i].Source, csv[i].Id, csv[i].LastUpdateTime, csv[i].IdempotencyKey));
                Assert.True(JsonElement.DeepEquals(jsonLines[i].Record, csv[i].Record), $"{source} record {csv[i].Id} differs in CSV");
            }
        }

        Assert.False(Directory.Exists(Path.Combine(CsvFolder, a.TenantId.ToString())));
        Assert.DoesNotContain(HecToken, silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(a.RegisteredSecret, silo.Output, StringComparison.Ordinal);
    }

    private Task<GroundTruth> CompareAsync(TestTenant tenant, string source) =>
        GroundTruth.CompareAsync(simulator.Admin, JsonLinesFolder, tenant.TenantId, source);

    /// <summary>The latest visible version of each of the tenant's records that no acknowledged HEC request carried.</summary>
    private async Task<List<string>> MissingAtCollectorAsync(TestTenant tenant)
    {
        var delivered = AcceptedEvents().Select(e => (e.Source, e.Id, e.LastUpdateTime.UtcTicks)).ToHashSet();
        var missing = new List<string>();
        foreach (var source in DefenderSources.Default)
        {
            var truth = await simulator.Admin.GetTruthAsync(tenant.TenantId, source);
            missing.AddRange(truth.Where(t => t.Visible).GroupBy(t => t.Id).Select(g => g.MaxBy(t => t.LastUpdateTime)!)
                .Where(t => !delivered.Contains((source, t.Id, t.LastUpdateTime.UtcTicks))).Select(t => $"{source}/{t.Id}"));
        }

        return missing;
    }

    /// <summary>Every event of every acknowledged request, in arrival order (HEC: concatenated JSON objects).</summary>
    private List<HecEvent> AcceptedEvents()
    {
        var events = new List<HecEvent>();
        foreach (var request in _hec.Accepted)
        {
            var reader = new Utf8JsonReader(request.Body, new JsonReaderOptions { AllowMultipleValues = true });
            var inRequest = new List<HecEvent>();
            while (reader.Read())
            {
                using (var document = JsonDocument.ParseValue(ref reader))
                {
                    var root = document.RootElement;
                    var envelope = root.GetProperty("event");
                    inRequest.Add(new HecEvent(
                        envelope.GetProperty("tenantId").GetString()!, envelope.GetProperty("source").GetString()!,
                        envelope.GetProperty("id").GetString()!, envelope.GetProperty("lastUpdateTime").GetDateTimeOffset(),
                        envelope.GetProperty("idempotencyKey").GetString()!,
                        root.GetProperty("fields").GetProperty("idempotencyKey").GetString()!,
                        root.GetProperty("index").GetString()));
                }
            }

            // One request is one batch (or part of one), sorted by time as the grain delivers it.
            Assert.True(inRequest.Zip(inRequest.Skip(1)).All(pair => pair.First.LastUpdateTime <= pair.Second.LastUpdateTime));
            events.AddRange(inRequest);
        }

        return events;
    }

    private List<RecordEnvelope> ReadCsv(Guid tenantId, string source)
    {
        var envelopes = new List<RecordEnvelope>();
        var options = new CsvReaderOptions { Separator = ',', HasHeader = true };
        foreach (var file in Directory.GetFiles(Path.Combine(CsvFolder, tenantId.ToString()), $"{source}-*.csv").Order(StringComparer.Ordinal))
        {
            using var reader = CsvReader.Create(File.ReadAllBytes(file), options);
            while (reader.Read())
            {
                var row = Enumerable.Range(0, reader.Headers.Count).ToDictionary(i => reader.Headers[i], reader.GetString, StringComparer.Ordinal);
                using var record = JsonDocument.Parse(row["envelope.record"]);
                envelopes.Add(new RecordEnvelope(
                    row["envelope.tenantId"], row["envelope.source"], row["envelope.id"],
                    DateTimeOffset.Parse(row["envelope.lastUpdateTime"], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                    row["envelope.idempotencyKey"],
                    DateTimeOffset.Parse(row["envelope.receivedAt"], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                    record.RootElement.Clone()));
            }
        }

        return envelopes;
    }

    /// <summary>The state's health; null before the grain's first save (the blob exists from the tenant's claim).</summary>
    private static string? Health(JsonElement? state) =>
        state is { } value && value.TryGetProperty("health", out var health) ? health.GetString() : null;

    private async Task<JsonElement?> ReadStateAsync(string container, Guid tenantId)
    {
        var blob = azurite.ServiceClient.GetBlobContainerClient(container).GetBlobClient($"state/{tenantId}.json");
        if (!(await blob.ExistsAsync()).Value)
        {
            return null;
        }

        var content = await blob.DownloadContentAsync();
        using var state = JsonDocument.Parse(content.Value.Content.ToMemory());
        return state.RootElement.Clone();
    }

    private sealed record HecEvent(
        string TenantId, string Source, string Id, DateTimeOffset LastUpdateTime, string IdempotencyKey, string FieldsIdempotencyKey, string? Index);
}
