using System.Net;
using System.Text.Json;
using Defender.Mssp.TestKit.Simulation;
using static Defender.Simulator.Tests.SuccessorApis;

namespace Defender.Simulator.Tests;

/// <summary>Microsoft Graph <c>GET /v1.0/security/incidents</c>.</summary>
public sealed class GraphIncidentsApiTests
{
    private const string Path = "v1.0/security/incidents";

    /// <summary>Every incident updated, quickly: merges (redirectIncidentId) occur within the backlog.</summary>
    private static readonly GeneratorSpec Busy = TestSimulator.Quiet(seed: 7, incidentsPerMinute: 2) with
    {
        UpdatedIncidentShare = 1,
        MaxUpdateDelay = TimeSpan.FromMinutes(3),
    };

    [Fact]
    public async Task Next_links_return_the_incidents_of_the_incidents_api_with_the_same_versions()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync(Busy);
        var graph = await sim.GetTokenAsync(tenant.TenantId, GraphResource);

        var (incidents, links) = await FollowAsync(sim, Path, graph);
        var classic = await sim.GetAllIncidentsAsync(await sim.GetTokenAsync(tenant.TenantId));

        Assert.True(links.Count >= 4, $"expected several pages of 50, got {links.Count + 1}");
        Assert.Equal(
            classic.Select(i => (i.GetProperty("incidentId").GetInt32().ToString(), Wire.Time(i, "lastUpdateTime"))),
            incidents.Select(i => (Id(i), Wire.Time(i, "lastUpdateDateTime"))));
        var truth = await sim.Admin.GetTruthAsync(tenant.TenantId, "graph-incidents");
        Assert.Equal(truth.Where(t => t.Visible).Select(t => t.Id).Distinct().Order(), incidents.Select(Id).Order());
    }

    [Fact]
    public async Task Top_above_50_is_400_and_50_is_the_default_page()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync(Busy);
        var token = await sim.GetTokenAsync(tenant.TenantId, GraphResource);

        using var over = await sim.GetAsync($"{Path}?$top=51", token);
        var first = await sim.GetJsonAsync(Path, token);

        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        Assert.Equal("BadRequest", await ErrorCodeAsync(over));
        Assert.Equal(50, first.GetProperty("value").GetArrayLength());
        Assert.StartsWith(sim.Host.BaseAddress + Path + "?", first.GetProperty("@odata.nextLink").GetString());
    }

    [Fact]
    public async Task Merged_incidents_are_served_with_their_redirectIncidentId()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync(Busy);
        var token = await sim.GetTokenAsync(tenant.TenantId, GraphResource);

        var (incidents, _) = await FollowAsync(sim, Path, token);

        var merged = incidents.Where(i => i.GetProperty("redirectIncidentId").ValueKind == JsonValueKind.String).ToList();
        Assert.NotEmpty(merged);
        Assert.All(merged, i =>
        {
            Assert.Equal("redirected", i.GetProperty("status").GetString());
            Assert.True(int.Parse(i.GetProperty("redirectIncidentId").GetString()!) < int.Parse(Id(i)));
        });
    }

    [Fact]
    public async Task Expand_alerts_lists_each_incidents_alerts_as_alerts_v2_does()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync(Busy);
        var token = await sim.GetTokenAsync(tenant.TenantId, GraphResource);

        var (incidents, _) = await FollowAsync(sim, $"{Path}?$expand=alerts&$top=20", token);
        var (alerts, _) = await FollowAsync(sim, "v1.0/security/alerts_v2?$top=1000", token);
        var plain = await sim.GetJsonAsync($"{Path}?$top=5", token);

        var byId = alerts.ToDictionary(Id);
        var expanded = incidents.Where(i => i.GetProperty("status").GetString() != "redirected")
            .SelectMany(i => i.GetProperty("alerts").EnumerateArray().Select(a => (Incident: Id(i), Alert: a))).ToList();
        Assert.NotEmpty(expanded);
        Assert.All(expanded, e =>
        {
            Assert.Equal(e.Incident, e.Alert.GetProperty("incidentId").GetString());
            Assert.Equal(byId[Id(e.Alert)].GetProperty("lastUpdateDateTime").GetString(), e.Alert.GetProperty("lastUpdateDateTime").GetString());
        });
        Assert.All(plain.GetProperty("value").EnumerateArray(), i => Assert.False(i.TryGetProperty("alerts", out _)));
    }

    [Fact]
    public async Task Filter_on_lastUpdateDateTime_and_bad_expand()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync(Busy);
        var token = await sim.GetTokenAsync(tenant.TenantId, GraphResource);
        var since = new DateTimeOffset(2026, 3, 1, 11, 0, 0, TimeSpan.Zero);

        var (recent, _) = await FollowAsync(sim, $"{Path}?$filter={Uri.EscapeDataString("lastUpdateDateTime ge 2026-03-01T11:00:00Z")}", token);
        using var badExpand = await sim.GetAsync($"{Path}?$expand=evidence", token);

        Assert.NotEmpty(recent);
        Assert.All(recent, i => Assert.True(Wire.Time(i, "lastUpdateDateTime") >= since));
        Assert.Equal(HttpStatusCode.BadRequest, badExpand.StatusCode);
    }
}
