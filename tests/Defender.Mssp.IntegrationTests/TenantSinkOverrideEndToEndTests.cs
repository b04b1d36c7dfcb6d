using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
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
/// A tenant's own sinks set through the management API reach a real silo process: of two tenants onboarded through
/// the API, the one whose sinks replace the defaults (a JSON Lines and a CSV folder of its own and a Splunk HEC
/// collector on loopback) has its records only there, the other only in the default sink; once the override is patched away, the
/// first tenant's new records go to the default sink, nothing lost across the switch. The API's override wins over one
/// in the silo's configuration (<c>Sinks:Tenants:{tenantId}</c>), which applies again once the API's is gone. The HEC
/// token is sealed at rest and never in the silo's output.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class TenantSinkOverrideEndToEndTests(AzuriteFixture azurite, SimulatorFixture simulator, ITestOutputHelper output) : IAsyncLifetime
{
    private const string PollInterval = "00:00:02";
    private const string OwnFolder = "soc-a/files";
    private const string CsvFolder = "soc-a/csv";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private static readonly string[] Sources = [DefenderSources.Incidents, DefenderSources.Siem];

    private static readonly GeneratorSpec Steady = new()
    {
        History = TimeSpan.FromMinutes(2),
        IncidentsPerMinute = 6,
        SiemAlertsPerMinute = 6,
        VisibilityDelay = TimeSpan.FromSeconds(1),
    };

    private readonly string _defaultFolder = Directory.CreateTempSubdirectory("defender-sink-override-default-").FullName;
    private readonly string _tenantRoot = Directory.CreateTempSubdirectory("defender-sink-override-tenants-").FullName;
    private readonly string _configuredFolder = Directory.CreateTempSubdirectory("defender-sink-override-configured-").FullName;
    private SiloProcess? _silo;
    private LoopbackHttpReceiver? _hec;

    private string OwnSinkFolder => Path.Combine(_tenantRoot, OwnFolder);

    public async Task InitializeAsync() => _hec = await LoopbackHttpReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            output.WriteLine(_silo.Output.Length > 20_000 ? _silo.Output[^20_000..] : _silo.Output);
            await _silo.DisposeAsync();
        }

        if (_hec is not null)
        {
            await _hec.DisposeAsync();
        }

        Directory.Delete(_defaultFolder, recursive: true);
        Directory.Delete(_tenantRoot, recursive: true);
        Directory.Delete(_configuredFolder, recursive: true);
    }

    [Fact]
    public async Task Each_tenant_s_records_arrive_only_at_its_own_sinks_until_the_override_is_patched_away()
    {
        var own = TestTenant.Create(Guid.NewGuid().ToString(), TestTenant.NewSecret());
        var plain = TestTenant.Create(Guid.NewGuid().ToString(), TestTenant.NewSecret());
        await own.RegisterAsync(simulator, Steady);
        await plain.RegisterAsync(simulator, Steady);
        var hecToken = TestTenant.NewSecret();

        var container = AzuriteFixture.UniqueContainerName("sink-override-e2e");
        await using var api = new ApiHost(azurite, container, _defaultFolder);
        var admin = api.Admin();
        _silo = SiloProcess.Start("silo-sinks", new SiloEnvironment(azurite, simulator, container, _defaultFolder)
            .With(
                ("TenantSinks:FolderRoot", _tenantRoot),
                // The silo's configuration adds a sink for the same tenant: the API's override must win while it is there.
                ("Sinks:Definitions:configured-extra:Type", "JsonLines"),
                ("Sinks:Definitions:configured-extra:Path", _configuredFolder),
                ($"Sinks:Tenants:{own.TenantId}:Mode", "Add"),
                ($"Sinks:Tenants:{own.TenantId}:Sinks", "configured-extra")));

        // 1. Two tenants onboarded through the API; one replaces the default sinks with a folder and a HEC collector.
        var ownBody = Body(own);
        ownBody["sinks"] = new JsonObject
        {
            ["mode"] = "replace",
            ["sinks"] = new JsonArray(
                new JsonObject { ["name"] = "soc-a-files", ["type"] = "jsonLines", ["folder"] = OwnFolder },
                new JsonObject { ["name"] = "soc-a-csv", ["type"] = "csv", ["folder"] = CsvFolder },
                new JsonObject
                {
                    ["name"] = "soc-a-splunk", ["type"] = "hec", ["url"] = new Uri(_hec!.BaseAddress, "services/collector/event").ToString(),
                    ["token"] = hecToken, ["index"] = "soc_a",
                }),
        };
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/tenants", JsonContent.Create(ownBody))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/tenants", JsonContent.Create(Body(plain)))).StatusCode);

        // 2. Each tenant's records are all delivered, each to its own sinks only.
        await Eventually.HoldsAsync(
            async () => await CompleteAsync(own, OwnSinkFolder) && await CompleteAsync(plain, _defaultFolder) && HecHasAllOf(own),
            Patience, Describe(own, plain));
        Assert.All(Sources, source => Assert.Empty(Delivered(_defaultFolder, own, source)));
        Assert.All(Sources, source => Assert.Empty(Delivered(OwnSinkFolder, plain, source)));
        Assert.All(Sources, source => Assert.Empty(Delivered(_configuredFolder, own, source)));
        Assert.DoesNotContain(HecEvents(), body => body.Contains(plain.TenantId.ToString(), StringComparison.Ordinal));
        Assert.NotEmpty(CsvFiles(own));
        Assert.Empty(CsvFiles(plain));
        Assert.All(_hec.Requests, request => Assert.Equal("Splunk " + hecToken, request.Headers["Authorization"]));

        output.WriteLine($"Delivered to each tenant's own sinks only; patching the override away at {DateTimeOffset.UtcNow:O}");

        // 3. The override patched away: the tenant's new records go to the default sink (and, configuration's override
        // applying now, its extra sink); none is lost across the switch.
        var cleared = await admin.PatchAsync($"/tenants/{own.TenantId}", new StringContent("""{"sinks":null}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Null((await cleared.Content.ReadFromJsonAsync<JsonObject>())!["sinks"]);
        await Eventually.HoldsAsync(
            async () => Sources.Sum(source => Delivered(_defaultFolder, own, source).Count) > 0
                && Sources.Sum(source => Delivered(_configuredFolder, own, source).Count) > 0
                && await CompleteAsync(own, OwnSinkFolder, _defaultFolder),
            Patience, Describe(own, plain));
        Assert.All(Sources, source => Assert.Empty(Delivered(OwnSinkFolder, plain, source)));
        Assert.All(Sources, source => Assert.Empty(Delivered(_configuredFolder, plain, source)));
        Assert.DoesNotContain(HecEvents(), body => body.Contains(plain.TenantId.ToString(), StringComparison.Ordinal));

        // 4. The token was sealed at rest and never printed.
        var document = await azurite.ServiceClient.GetBlobContainerClient(container).GetBlobClient($"tenants/{own.TenantId}.json").DownloadContentAsync();
        Assert.DoesNotContain(hecToken, document.Value.Content.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(hecToken, _silo.Output, StringComparison.Ordinal);
    }

    /// <summary>The tenant's files of its own CSV sink (<c>{folder}/{tenantId}/{source}-{day}.csv</c>).</summary>
    private IReadOnlyList<string> CsvFiles(TestTenant tenant)
    {
        var folder = Path.Combine(_tenantRoot, CsvFolder, tenant.TenantId.ToString());
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*.csv") : [];
    }

    private static JsonObject Body(TestTenant tenant) => new()
    {
        ["tenantId"] = tenant.TenantId.ToString(),
        ["clientId"] = tenant.ClientId,
        ["clientSecret"] = tenant.ConfiguredSecret,
        ["pollInterval"] = PollInterval,
        ["initialLookback"] = "00:30:00",
    };

    private static IReadOnlyList<RecordEnvelope> Delivered(string folder, TestTenant tenant, string source) =>
        JsonLinesSinkReader.Read(folder, tenant.TenantId.ToString(), source, skipTornLines: true);

    /// <summary>Whether the latest visible version of every record the simulator served is in one of <paramref name="folders"/>.</summary>
    private async Task<bool> CompleteAsync(TestTenant tenant, params string[] folders)
    {
        foreach (var source in Sources)
        {
            var truth = await simulator.Admin.GetTruthAsync(tenant.TenantId, source);
            var delivered = folders.SelectMany(folder => Delivered(folder, tenant, source)).Select(e => (e.Id, e.LastUpdateTime.UtcTicks)).ToHashSet();
            var latest = truth.Where(t => t.Visible).GroupBy(t => t.Id).Select(g => g.MaxBy(t => t.LastUpdateTime)!).ToList();
            if (latest.Count == 0 || latest.Any(t => !delivered.Contains((t.Id, t.LastUpdateTime.UtcTicks))))
            {
                return false;
            }
        }

        return true;
    }

    private IEnumerable<string> HecEvents() => _hec!.Accepted.Select(request => request.BodyText);

    /// <summary>Whether every record in the tenant's own folder went to the HEC collector too (the fan-out sends each batch to both).</summary>
    private bool HecHasAllOf(TestTenant tenant) => MissingFromHec(tenant) is { Count: 0 } && Sources.Any(source => Delivered(OwnSinkFolder, tenant, source).Count > 0);

    private List<string> MissingFromHec(TestTenant tenant)
    {
        var received = HecEvents().SelectMany(HecRecordIds).ToHashSet(StringComparer.Ordinal);
        return Sources.SelectMany(source => Delivered(OwnSinkFolder, tenant, source)).Select(envelope => envelope.Id)
            .Where(id => !received.Contains(id)).ToList();
    }

    /// <summary>The record ids of a HEC batch: event objects one after another, each with <c>fields.recordId</c>.</summary>
    private static IEnumerable<string> HecRecordIds(string body)
    {
        var ids = new List<string>();
        var reader = new System.Text.Json.Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(body), new System.Text.Json.JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            using var element = System.Text.Json.JsonDocument.ParseValue(ref reader);
            ids.Add(element.RootElement.GetProperty("fields").GetProperty("recordId").GetString()!);
        }

        return ids;
    }

    private Func<Task<string>> Describe(params TestTenant[] tenants) => async () =>
        string.Join("; ", tenants.SelectMany(tenant => Sources.Select(source =>
            $"{tenant.TenantId}/{source}: own {Delivered(OwnSinkFolder, tenant, source).Count}, default {Delivered(_defaultFolder, tenant, source).Count}, configured {Delivered(_configuredFolder, tenant, source).Count}")))
        + $"; complete in own {await CompleteAsync(tenants[0], OwnSinkFolder)}, in both {await CompleteAsync(tenants[0], OwnSinkFolder, _defaultFolder)}"
        + $", HEC requests {_hec!.Requests.Count} (all 2xx: {_hec.Requests.All(r => r.Status is >= 200 and < 300)}), missing from HEC [{string.Join(", ", MissingFromHec(tenants[0]).Take(5))}]\n"
        + (_silo?.Output is { Length: > 4000 } text ? text[^4000..] : _silo?.Output);
}
