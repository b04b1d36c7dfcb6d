using Defender.Mssp.Defender.Sources;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;
using Defender.Mssp.TestKit.Simulation;
using static Defender.Mssp.Defender.Tests.Successors.SuccessorReads;

namespace Defender.Mssp.Defender.Tests.Successors;

/// <summary><see cref="AlertsSource"/> against the simulated Defender for Endpoint alerts API over HTTPS.</summary>
public sealed class AlertsSourceSimulatorTests
{
    private static readonly GeneratorSpec Steady = new()
    {
        Seed = 11,
        IncidentsPerMinute = 1,
        SiemAlertsPerMinute = 2,
        VisibilityDelay = TimeSpan.Zero,
        VisibilityJitter = TimeSpan.Zero,
    };

    [Fact]
    public async Task Pages_with_top_and_skip_to_the_end_and_reads_every_alert_the_api_serves()
    {
        await using var defender = await SimulatedDefender.StartAsync(new Dictionary<string, string?> { ["Defender:AlertsPageSize"] = "40" });
        var tenant = await defender.AddTenantAsync(Steady);

        var read = await ReadAsync(defender.Get<AlertsSource>(), tenant, Backlog);

        AssertEqualsTruth(read, await defender.LatestVisibleAsync(tenant, DefenderSources.Alerts));
        var queries = await defender.QueriesAsync(tenant, DefenderSources.Alerts);
        Assert.True(queries.Count > 3, $"expected several pages of 40, got {queries.Count}");
        Assert.Equal(Enumerable.Range(0, queries.Count).Select(page => $"$skip={page * 40}"),
            queries.Select(q => q.Split('&').Single(p => p.StartsWith("$skip=", StringComparison.Ordinal))));
        Assert.All(queries, q =>
        {
            Assert.Contains("$filter=lastUpdateTime ge 2026-03-01T09:00:00.0000000Z&$top=40", q);
            Assert.Contains("$expand=evidence", q);
            Assert.DoesNotContain(" lt ", q);
        });
        Assert.All(read, r => Assert.NotEqual(0, Json(r).GetProperty("evidence").GetArrayLength()));
    }

    [Fact]
    public async Task Late_alerts_and_updated_alerts_arrive_in_the_next_overlapping_read_as_new_versions()
    {
        await using var defender = await SimulatedDefender.StartAsync();
        var tenant = await defender.AddTenantAsync(
            Steady with { VisibilityDelay = TimeSpan.FromMinutes(2), UpdatedIncidentShare = 1, MaxUpdateDelay = TimeSpan.FromMinutes(5) },
            updatedAlertShare: 1);
        var source = defender.Get<AlertsSource>();
        var first = await ReadAsync(source, tenant, Backlog);

        defender.Clock.Advance(TimeSpan.FromMinutes(10));
        var second = await ReadAsync(source, tenant, new RecordWindow(Backlog.To - TimeSpan.FromMinutes(5), defender.Now - TimeSpan.FromMinutes(1)));

        AssertLateRecordsAndNewVersions(first, second, Backlog.To);
        var updated = second.First(r => first.Any(f => f.Id == r.Id && f.LastUpdateTime < r.LastUpdateTime));
        Assert.Equal(updated.LastUpdateTime, JsonRecordsTime(updated, "lastUpdateTime"));
    }

    [Fact]
    public async Task Evidence_is_not_asked_for_when_turned_off()
    {
        await using var defender = await SimulatedDefender.StartAsync(new Dictionary<string, string?> { ["Defender:AlertsExpandEvidence"] = "false" });
        var tenant = await defender.AddTenantAsync(Steady);

        var read = await ReadAsync(defender.Get<AlertsSource>(), tenant, Backlog);

        Assert.NotEmpty(read);
        Assert.All(read, r => Assert.False(Json(r).TryGetProperty("evidence", out _)));
        Assert.All(await defender.QueriesAsync(tenant, DefenderSources.Alerts), q => Assert.DoesNotContain("$expand", q));
    }

    private static DateTimeOffset JsonRecordsTime(DefenderRecord record, string field) =>
        DateTimeOffset.Parse(Json(record).GetProperty(field).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
}
