using System.Net;
using System.Text.Json;
using Defender.Mssp.TestKit.Simulation;
using static Defender.Simulator.Tests.SuccessorApis;

namespace Defender.Simulator.Tests;

/// <summary>Microsoft Graph <c>GET /v1.0/security/alerts_v2</c>.</summary>
public sealed class GraphAlertsApiTests
{
    private const string Path = "v1.0/security/alerts_v2";

    [Fact]
    public async Task Next_links_page_past_the_skip_cap_to_every_alert_of_the_truth_once()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync(TestSimulator.Quiet(siemPerMinute: 5));
        var token = await sim.GetTokenAsync(tenant.TenantId, GraphResource);

        var (alerts, links) = await FollowAsync(sim, $"{Path}?$top=50", token);

        var ids = alerts.Select(Id).ToList();
        Assert.True(ids.Count > GraphQueryCap.Skip + 50, $"expected more than {GraphQueryCap.Skip + 50} alerts, got {ids.Count}");
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var truth = await sim.Admin.GetTruthAsync(tenant.TenantId, "graph-alerts");
        Assert.Equal(truth.Where(t => t.Visible).Select(t => t.Id).Distinct().Order(), ids.Order());
        // Absolute links on the simulator's host that never ask for $skip (capped at 500): a skip token instead.
        Assert.All(links, link =>
        {
            Assert.StartsWith(sim.Host.BaseAddress + Path + "?", link);
            Assert.DoesNotContain("$skip=", link);
            Assert.Contains("$skiptoken=", link);
            Assert.Contains("$top=50", link);
        });
    }

    [Fact]
    public async Task Next_link_names_the_host_the_request_came_to_and_keeps_the_filter()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId, GraphResource);
        var filter = Uri.EscapeDataString("lastUpdateDateTime ge 2026-03-01T10:00:00Z");

        var page = await sim.GetJsonAsync($"{Path}?$filter={filter}&$top=10", token);

        var link = page.GetProperty("@odata.nextLink").GetString()!;
        Assert.StartsWith($"https://{sim.Host.BaseAddress.Authority}/v1.0/security/alerts_v2?", link);
        Assert.Contains("lastUpdateDateTime ge 2026-03-01T10:00:00Z", Uri.UnescapeDataString(link));
        Assert.EndsWith("/v1.0/$metadata#security/alerts_v2", page.GetProperty("@odata.context").GetString());
    }

    [Theory]
    [InlineData("$top=1001", "'1000' for Top")]
    [InlineData("$skip=501", "'500' for Skip")]
    [InlineData("$top=0", "$top")]
    [InlineData("$skiptoken=not-a-token", "skiptoken")]
    [InlineData("$expand=evidence", "$expand")]
    [InlineData("$filter=lastUpdateTime ge 2026-03-01T11:00:00Z", "lastUpdateTime")]
    [InlineData("$filter=lastUpdateDateTime ge", "Invalid filter clause")]
    public async Task Out_of_range_or_unknown_options_are_400_in_graphs_error_shape(string query, string said)
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();

        using var response = await sim.GetAsync($"{Path}?{query}", await sim.GetTokenAsync(tenant.TenantId, GraphResource),
            r => r.Headers.Add("client-request-id", "c0ffee00-0000-4000-8000-000000000001"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("BadRequest", error.GetProperty("code").GetString());
        Assert.Contains(said, error.GetProperty("message").GetString());
        Assert.Equal("c0ffee00-0000-4000-8000-000000000001", error.GetProperty("innerError").GetProperty("client-request-id").GetString());
    }

    [Fact]
    public async Task Top_1000_and_skip_500_are_accepted()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId, GraphResource);

        using var response = await sim.GetAsync($"{Path}?$top=1000&$skip=500", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Filters_on_lastUpdateDateTime_split_on_the_boundary_and_count_counts()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId, GraphResource);
        var (all, _) = await FollowAsync(sim, $"{Path}?$top=1000", token);
        var boundary = all.OrderBy(a => Wire.Time(a, "lastUpdateDateTime")).ElementAt(all.Count / 3);
        var time = boundary.GetProperty("lastUpdateDateTime").GetString()!;

        var (ge, _) = await FollowAsync(sim, $"{Path}?$filter={Uri.EscapeDataString($"lastUpdateDateTime ge {time}")}", token);
        var (lt, _) = await FollowAsync(sim, $"{Path}?$filter={Uri.EscapeDataString($"lastUpdateDateTime lt {time}")}", token);
        var (gt, _) = await FollowAsync(sim, $"{Path}?$filter={Uri.EscapeDataString($"lastUpdateDateTime gt {time}")}", token);
        var counted = await sim.GetJsonAsync($"{Path}?$count=true&$top=1&$filter={Uri.EscapeDataString($"lastUpdateDateTime ge {time}")}", token);

        Assert.Contains(Id(boundary), ge.Select(Id));
        Assert.DoesNotContain(Id(boundary), gt.Select(Id));
        Assert.Equal(all.Count, ge.Count + lt.Count);
        Assert.Empty(ge.Select(Id).Intersect(lt.Select(Id)));
        Assert.Equal(ge.Count, counted.GetProperty("@odata.count").GetInt32());
    }

    [Fact]
    public async Task Alerts_have_graphs_shape_and_siem_detections_follow_the_documented_field_map()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync(TestSimulator.Quiet() with { DeviceCount = 3 });
        var token = await sim.GetTokenAsync(tenant.TenantId, GraphResource);
        var (alerts, _) = await FollowAsync(sim, $"{Path}?$top=1000", token);
        var detections = (await sim.GetJsonAsync(
            "api/alerts?sinceTimeUtc=2026-03-01T09:00:00Z&untilTimeUtc=2026-03-01T12:00:00Z",
            await sim.GetTokenAsync(tenant.TenantId, TestSimulator.SiemResource))).EnumerateArray().ToList();

        Assert.All(alerts, a =>
        {
            Assert.Equal("#microsoft.graph.security.alert", a.GetProperty("@odata.type").GetString());
            Assert.Contains(a.GetProperty("status").GetString(), new[] { "new", "inProgress", "resolved" });
            Assert.Contains(a.GetProperty("severity").GetString(), new[] { "informational", "low", "medium", "high" });
            Assert.Equal(JsonValueKind.Array, a.GetProperty("evidence").ValueKind);
        });
        var byId = alerts.ToDictionary(Id);
        foreach (var detection in detections.Where(d => d.GetProperty("AlertPart").GetInt32() == 0))
        {
            // AlertId → id; machine tags → the device evidence's tags; LastProcessedTimeUtc → lastActivityDateTime.
            var alert = byId[detection.GetProperty("AlertId").GetString()!];
            var device = alert.GetProperty("evidence").EnumerateArray()
                .Single(e => e.GetProperty("@odata.type").GetString() == "#microsoft.graph.security.deviceEvidence");
            var tags = new[] { "DeviceCreatedMachineTags", "CloudCreatedMachineTags" }
                .SelectMany(t => detection.GetProperty(t).GetString()!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal(tags, device.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
            Assert.Equal(detection.GetProperty("DeviceID").GetString(), device.GetProperty("mdeDeviceId").GetString());
            Assert.True(Wire.Time(alert, "lastActivityDateTime") >= Wire.Time(detection, "LastProcessedTimeUtc"));
            Assert.Equal(detection.GetProperty("AlertTitle").GetString(), alert.GetProperty("title").GetString());
        }
    }

    [Fact]
    public async Task Alerts_change_in_place_and_come_back_with_a_later_lastUpdateDateTime()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync(TestSimulator.Quiet() with { UpdatedIncidentShare = 1, MaxUpdateDelay = TimeSpan.FromMinutes(5) });
        var token = await sim.GetTokenAsync(tenant.TenantId, GraphResource);
        var (before, _) = await FollowAsync(sim, $"{Path}?$top=1000", token);

        sim.Clock.Advance(TimeSpan.FromMinutes(10));
        var (after, _) = await FollowAsync(sim, $"{Path}?$top=1000", token);

        var old = before.ToDictionary(Id);
        var changed = after.Where(a => old.TryGetValue(Id(a), out var o)
                                       && Wire.Time(a, "lastUpdateDateTime") > Wire.Time(o, "lastUpdateDateTime")).ToList();
        Assert.NotEmpty(changed);
        Assert.Contains(changed, a => a.GetProperty("status").GetString() != old[Id(a)].GetProperty("status").GetString()
                                      || a.GetProperty("incidentId").GetString() != old[Id(a)].GetProperty("incidentId").GetString());
    }

    [Fact]
    public async Task Only_a_graph_token_is_accepted()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();

        using var wrong = await sim.GetAsync(Path, await sim.GetTokenAsync(tenant.TenantId, EndpointResource));
        using var right = await sim.GetAsync(Path, await sim.GetTokenAsync(tenant.TenantId, GraphResource));

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    private static class GraphQueryCap
    {
        public const int Skip = 500;
    }
}
