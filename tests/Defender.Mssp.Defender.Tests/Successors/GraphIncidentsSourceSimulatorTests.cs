using System.Text.Json;
using Defender.Mssp.Defender.Sources;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;
using Defender.Mssp.TestKit.Simulation;
using static Defender.Mssp.Defender.Tests.Successors.SuccessorReads;

namespace Defender.Mssp.Defender.Tests.Successors;

/// <summary><see cref="GraphIncidentsSource"/> against the simulated Graph <c>security/incidents</c> over HTTPS.</summary>
public sealed class GraphIncidentsSourceSimulatorTests
{
    /// <summary>Two incidents a minute, each updated within minutes: merges happen inside the backlog.</summary>
    private static readonly GeneratorSpec Busy = new()
    {
        Seed = 7,
        IncidentsPerMinute = 2,
        SiemAlertsPerMinute = 1,
        VisibilityDelay = TimeSpan.Zero,
        VisibilityJitter = TimeSpan.Zero,
        UpdatedIncidentShare = 1,
        MaxUpdateDelay = TimeSpan.FromMinutes(3),
    };

    [Fact]
    public async Task Pages_of_50_by_next_link_to_the_end_with_merged_incidents_delivered()
    {
        await using var defender = await SimulatedDefender.StartAsync();
        var tenant = await defender.AddTenantAsync(Busy);

        var read = await ReadAsync(defender.Get<GraphIncidentsSource>(), tenant, Backlog);

        AssertEqualsTruth(read, await defender.LatestVisibleAsync(tenant, DefenderSources.GraphIncidents));
        var queries = await defender.QueriesAsync(tenant, DefenderSources.GraphIncidents);
        Assert.True(queries.Count > 2, $"expected several pages of 50, got {queries.Count}");
        Assert.StartsWith("?$filter=lastUpdateDateTime ge 2026-03-01T09:00:00.0000000Z&$top=50", queries[0]);
        Assert.All(queries, q => Assert.DoesNotContain("$expand", q));
        var merged = read.Where(r => Json(r).GetProperty("redirectIncidentId").ValueKind == JsonValueKind.String).ToList();
        Assert.NotEmpty(merged);
        Assert.All(merged, r => Assert.Equal("redirected", Json(r).GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Expanded_incidents_carry_their_alerts()
    {
        await using var defender = await SimulatedDefender.StartAsync(new Dictionary<string, string?>
        {
            ["Defender:GraphIncidentsExpandAlerts"] = "true",
            ["Defender:GraphIncidentsPageSize"] = "20",
        });
        var tenant = await defender.AddTenantAsync(Busy);

        var read = await ReadAsync(defender.Get<GraphIncidentsSource>(), tenant, Backlog);

        Assert.NotEmpty(read);
        Assert.All(read, r => Assert.Equal(JsonValueKind.Array, Json(r).GetProperty("alerts").ValueKind));
        Assert.Contains(read, r => Json(r).GetProperty("alerts").GetArrayLength() > 0);
        Assert.All(await defender.QueriesAsync(tenant, DefenderSources.GraphIncidents), q => Assert.Contains("$expand=alerts", q));
    }

    [Fact]
    public async Task Late_incidents_and_updated_incidents_arrive_in_the_next_overlapping_read_as_new_versions()
    {
        await using var defender = await SimulatedDefender.StartAsync();
        // Half the incidents change within 8 minutes; the other half stay as created, late ones included.
        var tenant = await defender.AddTenantAsync(Busy with
        {
            IncidentsPerMinute = 4,
            VisibilityDelay = TimeSpan.FromMinutes(2),
            UpdatedIncidentShare = 0.5,
            MaxUpdateDelay = TimeSpan.FromMinutes(8),
        });
        var source = defender.Get<GraphIncidentsSource>();
        var first = await ReadAsync(source, tenant, Backlog);

        defender.Clock.Advance(TimeSpan.FromMinutes(10));
        var second = await ReadAsync(source, tenant, new RecordWindow(Backlog.To - TimeSpan.FromMinutes(5), defender.Now - TimeSpan.FromMinutes(1)));

        AssertLateRecordsAndNewVersions(first, second, Backlog.To);
    }
}
