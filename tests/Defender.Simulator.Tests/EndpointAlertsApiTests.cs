using System.Net;
using System.Text.Json;
using Defender.Mssp.TestKit.Simulation;
using static Defender.Simulator.Tests.SuccessorApis;

namespace Defender.Simulator.Tests;

/// <summary>The Defender for Endpoint alerts API (<c>GET /api/alerts</c> with OData options).</summary>
public sealed class EndpointAlertsApiTests
{
    [Fact]
    public async Task Skip_paging_returns_every_endpoint_alert_of_the_truth_once()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId, EndpointResource);

        var paged = await AllEndpointAlertsAsync(sim, token, top: 37);

        var ids = paged.Select(Id).ToList();
        Assert.True(ids.Count > 100, $"expected a 2-hour backlog, got {ids.Count}");
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var truth = await sim.Admin.GetTruthAsync(tenant.TenantId, "alerts");
        var latest = truth.Where(t => t.Visible).GroupBy(t => t.Id).ToDictionary(g => g.Key, g => g.Max(t => t.LastUpdateTime));
        Assert.Equal(latest.Keys.Order(), ids.Order());
        Assert.All(paged, a => Assert.Equal(latest[Id(a)], Wire.Time(a, "lastUpdateTime")));
        // Pages are cut in creation order, which no update changes.
        var created = paged.Select(a => Wire.Time(a, "alertCreationTime")).ToList();
        Assert.Equal(created.Order(), created);
    }

    [Fact]
    public async Task Top_of_10000_is_accepted_and_10001_is_400()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId, EndpointResource);

        using var atCap = await sim.GetAsync("api/alerts?$top=10000", token);
        using var overCap = await sim.GetAsync("api/alerts?$top=10001", token);

        Assert.Equal(HttpStatusCode.OK, atCap.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, overCap.StatusCode);
        var error = JsonDocument.Parse(await overCap.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("ODataError", error.GetProperty("code").GetString());
        Assert.Contains("'10000'", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("$top=-1")]
    [InlineData("$top=abc")]
    [InlineData("$skip=x")]
    [InlineData("$expand=machines")]
    [InlineData("$orderby=lastUpdateTime")]
    [InlineData("$filter=lastUpdateDateTime ge 2026-03-01T11:00:00Z")]
    [InlineData("$filter=lastUpdateTime ge '2026-03-01T11:00:00Z'")]
    public async Task Bad_options_are_400(string query)
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();

        using var response = await sim.GetAsync("api/alerts?" + query, await sim.GetTokenAsync(tenant.TenantId, EndpointResource));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Time_filters_ge_gt_le_lt_split_on_the_boundary()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId, EndpointResource);
        var all = await AllEndpointAlertsAsync(sim, token);
        var boundary = all.OrderBy(a => Wire.Time(a, "lastUpdateTime")).ElementAt(all.Count / 2);
        var time = boundary.GetProperty("lastUpdateTime").GetString()!;

        var ge = (await AllEndpointAlertsAsync(sim, token, $"lastUpdateTime ge {time}")).Select(Id).ToList();
        var gt = (await AllEndpointAlertsAsync(sim, token, $"lastUpdateTime gt {time}")).Select(Id).ToList();
        var le = (await AllEndpointAlertsAsync(sim, token, $"lastUpdateTime le {time}")).Select(Id).ToList();
        var lt = (await AllEndpointAlertsAsync(sim, token, $"lastUpdateTime lt {time}")).Select(Id).ToList();

        Assert.Contains(Id(boundary), ge);
        Assert.Contains(Id(boundary), le);
        Assert.DoesNotContain(Id(boundary), gt);
        Assert.DoesNotContain(Id(boundary), lt);
        Assert.Equal(all.Count, ge.Count + lt.Count);
        Assert.Equal(all.Count, gt.Count + le.Count);
        Assert.Empty(ge.Intersect(lt));
    }

    [Fact]
    public async Task Evidence_comes_only_with_expand_evidence()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId, EndpointResource);

        var plain = await AllEndpointAlertsAsync(sim, token);
        var expanded = await AllEndpointAlertsAsync(sim, token, evidence: true);

        Assert.All(plain, a => Assert.False(a.TryGetProperty("evidence", out _)));
        Assert.All(expanded, a => Assert.NotEqual(0, a.GetProperty("evidence").GetArrayLength()));
        var evidence = expanded.SelectMany(a => a.GetProperty("evidence").EnumerateArray()).ToList();
        Assert.Contains(evidence, e => e.GetProperty("entityType").GetString() == "File" && e.GetProperty("sha1").GetString()!.Length == 40);
        Assert.Equal(plain.Select(Id), expanded.Select(Id));
    }

    [Fact]
    public async Task Alerts_have_the_documented_shape_and_detections_keep_their_siem_alert_id()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId, EndpointResource);

        var page = await sim.GetJsonAsync("api/alerts?$top=500", token);
        var alerts = page.GetProperty("value").EnumerateArray().ToList();
        var siem = await sim.GetJsonAsync("api/alerts?sinceTimeUtc=2026-03-01T09:00:00Z&untilTimeUtc=2026-03-01T12:00:00Z", await sim.GetTokenAsync(tenant.TenantId, TestSimulator.SiemResource));

        Assert.EndsWith("/api/$metadata#Alerts", page.GetProperty("@odata.context").GetString());
        Assert.All(alerts, a =>
        {
            foreach (var field in new[] { "id", "incidentId", "lastUpdateTime", "alertCreationTime", "title", "severity", "status", "machineId", "computerDnsName", "detectionSource", "category" })
            {
                Assert.True(a.TryGetProperty(field, out _), $"missing {field}");
            }

            Assert.Contains(a.GetProperty("status").GetString(), new[] { "New", "InProgress", "Resolved" });
            Assert.False(string.IsNullOrEmpty(a.GetProperty("machineId").GetString()));
        });
        // Field map: the SIEM API's AlertId is the alerts API's id.
        var siemAlertIds = siem.EnumerateArray().Select(d => d.GetProperty("AlertId").GetString()).ToHashSet();
        Assert.NotEmpty(siemAlertIds);
        Assert.True(siemAlertIds.IsSubsetOf(alerts.Select(Id)), "every SIEM AlertId is an alert of the alerts API");
        // Alerts of incidents carry their incident id.
        Assert.Contains(alerts, a => a.GetProperty("incidentId").ValueKind == JsonValueKind.Number);
    }

    [Fact]
    public async Task Without_odata_options_the_path_is_the_siem_api_and_with_them_the_alerts_api()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var endpointToken = await sim.GetTokenAsync(tenant.TenantId, EndpointResource);

        var siem = await sim.GetJsonAsync("api/alerts?ago=PT1H", endpointToken);
        var alerts = await sim.GetJsonAsync("api/alerts?$top=5", endpointToken);

        Assert.Equal(JsonValueKind.Array, siem.ValueKind);
        Assert.Equal(JsonValueKind.Object, alerts.ValueKind);
        var calls = (await sim.Admin.GetCallsAsync(tenant.TenantId)).Calls.Select(c => c.Source).ToList();
        Assert.Equal(["siem", "alerts"], calls);
    }

    [Theory]
    [InlineData("api.securitycenter.microsoft.com", "", true)]
    [InlineData("api-gov.securitycenter.microsoft.us", "", true)]
    [InlineData("wdatp-alertexporter-eu.windows.com", "", false)]
    [InlineData("wdatp-alertexporter-eu.windows.com", "?$top=5", false)]
    [InlineData("127.0.0.1", "?sinceTimeUtc=2026-03-01T10:00:00Z", false)]
    [InlineData("127.0.0.1", "?$filter=lastUpdateTime%20ge%202026-03-01T10:00:00Z", true)]
    public void Real_host_names_tell_the_two_alerts_apis_apart_and_one_shared_host_goes_by_the_query(string host, string query, bool endpointApi)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Host = new Microsoft.AspNetCore.Http.HostString(host);
        context.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString(query);

        Assert.Equal(endpointApi, Api.AlertsRoute.IsEndpointApi(context.Request));
    }

    [Fact]
    public async Task A_token_for_another_api_is_refused()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();

        using var incidentsToken = await sim.GetAsync("api/alerts?$top=1", await sim.GetTokenAsync(tenant.TenantId, TestSimulator.IncidentsResource));
        using var graphToken = await sim.GetAsync("api/alerts?$top=1", await sim.GetTokenAsync(tenant.TenantId, GraphResource));

        Assert.Equal(HttpStatusCode.Unauthorized, incidentsToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, graphToken.StatusCode);
    }

    [Fact]
    public async Task Late_records_appear_with_time_and_updates_come_back_as_new_versions()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync(TestSimulator.Quiet() with
        {
            VisibilityDelay = TimeSpan.FromMinutes(2),
            UpdatedIncidentShare = 1,
            MaxUpdateDelay = TimeSpan.FromMinutes(5),
        });
        var token = await sim.GetTokenAsync(tenant.TenantId, EndpointResource);
        var before = (await AllEndpointAlertsAsync(sim, token)).ToDictionary(Id, a => Wire.Time(a, "lastUpdateTime"));

        sim.Clock.Advance(TimeSpan.FromMinutes(10));
        var after = (await AllEndpointAlertsAsync(sim, token)).ToDictionary(Id, a => Wire.Time(a, "lastUpdateTime"));

        // Records stamped before the first read that only became visible later (the 2-minute delay).
        var start = TestSimulator.Start;
        Assert.Contains(after, a => !before.ContainsKey(a.Key) && a.Value < start);
        // The same alert again, with a later lastUpdateTime.
        Assert.Contains(after, a => before.TryGetValue(a.Key, out var old) && a.Value > old);
        var truth = await sim.Admin.GetTruthAsync(tenant.TenantId, "alerts");
        Assert.Contains(truth, t => t.Version > 0);
    }
}
