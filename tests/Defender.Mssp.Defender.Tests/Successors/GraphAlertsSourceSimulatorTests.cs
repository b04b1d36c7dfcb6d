using Defender.Mssp.Defender.Sources;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;
using Defender.Mssp.TestKit.Simulation;
using static Defender.Mssp.Defender.Tests.Successors.SuccessorReads;

namespace Defender.Mssp.Defender.Tests.Successors;

/// <summary><see cref="GraphAlertsSource"/> against the simulated Graph <c>security/alerts_v2</c> over HTTPS.</summary>
public sealed class GraphAlertsSourceSimulatorTests
{
    private static readonly GeneratorSpec Steady = new()
    {
        Seed = 21,
        IncidentsPerMinute = 1,
        SiemAlertsPerMinute = 2,
        VisibilityDelay = TimeSpan.Zero,
        VisibilityJitter = TimeSpan.Zero,
    };

    [Fact]
    public async Task Follows_next_links_past_the_skip_cap_to_the_end_and_reads_every_alert()
    {
        await using var defender = await SimulatedDefender.StartAsync(new Dictionary<string, string?> { ["Defender:GraphAlertsPageSize"] = "100" });
        var tenant = await defender.AddTenantAsync(Steady with { SiemAlertsPerMinute = 5 });

        var read = await ReadAsync(defender.Get<GraphAlertsSource>(), tenant, Backlog);

        var truth = await defender.LatestVisibleAsync(tenant, DefenderSources.GraphAlerts);
        Assert.True(truth.Count > 600, $"expected more than 600 alerts, got {truth.Count}");
        AssertEqualsTruth(read, truth);
        var queries = await defender.QueriesAsync(tenant, DefenderSources.GraphAlerts);
        Assert.True(queries.Count > 6, $"expected more than six pages of 100, got {queries.Count}");
        Assert.Equal("?$filter=lastUpdateDateTime ge 2026-03-01T09:00:00.0000000Z&$top=100", queries[0]);
        Assert.All(queries, q => Assert.DoesNotContain("$skip=", q));
        Assert.All(queries.Skip(1), q => Assert.Contains("$skiptoken=", q));
    }

    [Fact]
    public async Task Late_alerts_and_updated_alerts_arrive_in_the_next_overlapping_read_as_new_versions()
    {
        await using var defender = await SimulatedDefender.StartAsync(new Dictionary<string, string?> { ["Defender:GraphAlertsPageSize"] = "250" });
        var tenant = await defender.AddTenantAsync(
            Steady with { VisibilityDelay = TimeSpan.FromMinutes(2), UpdatedIncidentShare = 1, MaxUpdateDelay = TimeSpan.FromMinutes(5) });
        var source = defender.Get<GraphAlertsSource>();
        var first = await ReadAsync(source, tenant, Backlog);

        defender.Clock.Advance(TimeSpan.FromMinutes(10));
        var second = await ReadAsync(source, tenant, new RecordWindow(Backlog.To - TimeSpan.FromMinutes(5), defender.Now - TimeSpan.FromMinutes(1)));

        AssertLateRecordsAndNewVersions(first, second, Backlog.To);
        Assert.All(second, r => Assert.Equal("#microsoft.graph.security.alert", Json(r).GetProperty("@odata.type").GetString()));
    }

    [Fact]
    public async Task Uses_a_graph_token_and_the_siem_alert_ids()
    {
        await using var defender = await SimulatedDefender.StartAsync();
        var tenant = await defender.AddTenantAsync(Steady);
        var siem = await defender.Admin.GetTruthAsync(Guid.Parse(tenant.TenantId), DefenderSources.Siem, includeRecords: true);

        var read = await ReadAsync(defender.Get<GraphAlertsSource>(), tenant, Backlog);

        // Microsoft's field map: the SIEM API's AlertId is the Graph alert's id.
        var alertIds = siem.Where(t => t.Visible).Select(t => t.Record!.Value.GetProperty("AlertId").GetString()!).ToHashSet();
        Assert.Subset(read.Select(r => r.Id).ToHashSet(), alertIds);
        Assert.NotNull(defender.Get<GraphAlertsSource>().TokenExpiresOn(tenant));
        Assert.Null(defender.Get<AlertsSource>().TokenExpiresOn(tenant));
    }
}
