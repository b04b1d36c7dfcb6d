using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Defender.Mssp.TestKit.Simulation;

namespace Defender.Simulator.Tests;

public sealed class IncidentsApiTests
{
    [Fact]
    public async Task Skip_paging_returns_every_visible_incident_once_in_id_order()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId);

        var paged = await sim.GetAllIncidentsAsync(token, top: 7);
        var ids = paged.Select(i => i.GetProperty("incidentId").GetInt32()).ToList();

        Assert.True(ids.Count > 100, $"expected a 2-hour backlog, got {ids.Count}");
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var truth = await sim.Admin.GetTruthAsync(tenant.TenantId, "incidents");
        Assert.Equal(truth.Where(t => t.Visible).Select(t => int.Parse(t.Id)).Distinct().Order(), ids);
    }

    [Fact]
    public async Task Top_above_100_is_400_with_an_OData_error()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();

        using var response = await sim.GetAsync("api/incidents?$top=101", await sim.GetTokenAsync(tenant.TenantId));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ODataError", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("'100'", body.GetProperty("error").GetProperty("message").GetString());
        Assert.True(Guid.TryParse(body.GetProperty("error").GetProperty("target").GetString(), out _));
    }

    [Fact]
    public async Task Default_page_is_100_with_a_next_link_to_the_rest()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId);
        var filter = Uri.EscapeDataString("lastUpdateTime ge 2026-03-01T09:00:00Z");

        var first = await sim.GetJsonAsync($"api/incidents?$filter={filter}", token);
        var nextLink = first.GetProperty("@odata.nextLink").GetString()!;
        var second = await sim.GetJsonAsync(nextLink, token);

        Assert.EndsWith("/api/$metadata#Incidents", first.GetProperty("@odata.context").GetString());
        Assert.Equal(100, first.GetProperty("value").GetArrayLength());
        Assert.StartsWith(sim.Host.BaseAddress + "api/incidents?", nextLink);
        Assert.Contains("$skip=100", Uri.UnescapeDataString(nextLink));
        Assert.Contains("lastUpdateTime ge 2026-03-01T09:00:00Z", Uri.UnescapeDataString(nextLink));
        Assert.InRange(second.GetProperty("value").GetArrayLength(), 1, 99);
        Assert.False(second.TryGetProperty("@odata.nextLink", out _));
    }

    [Fact]
    public async Task Ge_includes_the_boundary_time_and_lt_excludes_it()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId);
        var all = await sim.GetAllIncidentsAsync(token);
        var boundary = all[all.Count / 2];
        var time = boundary.GetProperty("lastUpdateTime").GetString()!;
        var id = boundary.GetProperty("incidentId").GetInt32();

        var ge = Ids(await sim.GetAllIncidentsAsync(token, $"lastUpdateTime ge {time}"));
        var gt = Ids(await sim.GetAllIncidentsAsync(token, $"lastUpdateTime gt {time}"));
        var lt = Ids(await sim.GetAllIncidentsAsync(token, $"lastUpdateTime lt {time}"));
        var le = Ids(await sim.GetAllIncidentsAsync(token, $"lastUpdateTime le {time}"));
        var eq = Ids(await sim.GetAllIncidentsAsync(token, $"lastUpdateTime eq {time}"));

        Assert.Contains(id, ge);
        Assert.Contains(id, le);
        Assert.DoesNotContain(id, gt);
        Assert.DoesNotContain(id, lt);
        Assert.Equal([id], eq);
        Assert.Equal(all.Count, ge.Count + lt.Count);
        Assert.Empty(ge.Intersect(lt));
    }

    [Theory]
    [InlineData("lastUpdateTime ge 2026-03-01T11:00:00Z")]
    [InlineData("lastUpdateTime ge 2026-03-01T11:00:00.000Z")]
    [InlineData("lastUpdateTime ge 2026-03-01T11:00:00.0000000Z")]
    [InlineData("lastUpdateTime ge 2026-03-01T11:00:00")]
    [InlineData("lastUpdateTime ge 2026-03-01T12:00:00+01:00")]
    [InlineData("(lastUpdateTime ge 2026-03-01T11:00:00Z) and createdTime le 2026-03-01T12:00:00Z")]
    public async Task Datetime_literals_are_accepted_with_or_without_fraction_and_zone(string filter)
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId);
        var expected = (await sim.GetAllIncidentsAsync(token))
            .Where(i => Wire.Time(i, "lastUpdateTime") >= new DateTimeOffset(2026, 3, 1, 11, 0, 0, TimeSpan.Zero))
            .Select(i => i.GetProperty("incidentId").GetInt32());

        var filtered = Ids(await sim.GetAllIncidentsAsync(token, filter));

        Assert.NotEmpty(filtered);
        Assert.Equal(expected, filtered);
    }

    [Theory]
    [InlineData("lastUpdateTime ge '2026-03-01T11:00:00Z'")]
    [InlineData("lastUpdateTime ge yesterday")]
    [InlineData("severity eq 'High'")]
    [InlineData("lastUpdateTime ge")]
    [InlineData("lastUpdateTime between 2026-03-01T11:00:00Z")]
    public async Task Malformed_filter_is_400(string filter)
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();

        using var response = await sim.GetAsync($"api/incidents?$filter={Uri.EscapeDataString(filter)}", await sim.GetTokenAsync(tenant.TenantId));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ODataError", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Status_filter_selects_on_the_served_version()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync(TestSimulator.Quiet() with { UpdatedIncidentShare = 1, MaxUpdateDelay = TimeSpan.FromMinutes(2) });
        var token = await sim.GetTokenAsync(tenant.TenantId);

        var active = await sim.GetAllIncidentsAsync(token, "status eq 'Active'");
        var notActive = await sim.GetAllIncidentsAsync(token, "not (status eq 'Active')");

        Assert.NotEmpty(active);
        Assert.NotEmpty(notActive);
        Assert.All(active, i => Assert.Equal("Active", i.GetProperty("status").GetString()));
        Assert.All(notActive, i => Assert.NotEqual("Active", i.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Updated_incident_is_served_only_at_its_latest_visible_version()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync(TestSimulator.Quiet() with { UpdatedIncidentShare = 1 });
        var token = await sim.GetTokenAsync(tenant.TenantId);
        var before = await sim.GetAllIncidentsAsync(token);

        sim.Clock.Advance(TimeSpan.FromMinutes(31));
        var truth = await sim.Admin.GetTruthAsync(tenant.TenantId, "incidents");
        var after = await sim.GetAllIncidentsAsync(token);

        // An incident served before, whose next version was made after that first look.
        var versions = truth.GroupBy(t => t.Id)
            .Select(g => g.OrderBy(v => v.Version).ToList())
            .First(v => v.Count >= 2 && v[0].LastUpdateTime < TestSimulator.Start && v[1].LastUpdateTime > TestSimulator.Start);
        var id = int.Parse(versions[0].Id);
        var latest = versions.Last(v => v.Visible);

        Assert.Equal(versions[0].LastUpdateTime, ServedVersion(before, id));
        Assert.Equal(latest.LastUpdateTime, ServedVersion(after, id));
        Assert.Single(after, i => i.GetProperty("incidentId").GetInt32() == id);
        Assert.Equal(after.Count, after.Select(i => i.GetProperty("incidentId").GetInt32()).Distinct().Count());
    }

    [Fact]
    public async Task Records_become_visible_only_after_their_visibility_delay()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync(TestSimulator.Quiet(incidentsPerMinute: 3) with
        {
            VisibilityDelay = TimeSpan.FromMinutes(5),
            UpdatedIncidentShare = 0,
        });
        var token = await sim.GetTokenAsync(tenant.TenantId);

        var truth = await sim.Admin.GetTruthAsync(tenant.TenantId, "incidents");
        var late = truth.Where(t => !t.Visible).ToList();
        var served = Ids(await sim.GetAllIncidentsAsync(token));

        Assert.NotEmpty(late);
        Assert.All(late, t => Assert.Equal(t.LastUpdateTime + TimeSpan.FromMinutes(5), t.VisibleAt));
        Assert.All(late, t => Assert.DoesNotContain(int.Parse(t.Id), served));
        Assert.All(late, t => Assert.True(t.LastUpdateTime <= TestSimulator.Start));

        sim.Clock.Advance(TimeSpan.FromMinutes(5));
        var later = Ids(await sim.GetAllIncidentsAsync(token));

        Assert.All(late, t => Assert.Contains(int.Parse(t.Id), later));
    }

    private static DateTimeOffset ServedVersion(List<JsonElement> incidents, int id) =>
        Wire.Time(incidents.Single(i => i.GetProperty("incidentId").GetInt32() == id), "lastUpdateTime");

    private static List<int> Ids(List<JsonElement> incidents) => [.. incidents.Select(i => i.GetProperty("incidentId").GetInt32())];
}
