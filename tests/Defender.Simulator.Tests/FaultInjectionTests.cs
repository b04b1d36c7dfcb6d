using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Defender.Mssp.TestKit.Simulation;

namespace Defender.Simulator.Tests;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task Injected_403_has_the_documented_body_and_stops_after_its_remaining_count()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId);
        await sim.Admin.AddFaultAsync(tenant.TenantId, new FaultSpec { Source = SimulatorFaultSource.Incidents, Status = 403, Remaining = 2 });

        var statuses = new List<HttpStatusCode>();
        JsonElement body = default;
        for (var i = 0; i < 3; i++)
        {
            using var response = await sim.GetAsync("api/incidents", token);
            statuses.Add(response.StatusCode);
            if (i == 0)
            {
                body = await response.Content.ReadFromJsonAsync<JsonElement>();
            }
        }

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.OK], statuses);
        Assert.Equal("Forbidden", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("tenant", body.GetProperty("error").GetProperty("message").GetString());
        var stats = await sim.Admin.GetStatsAsync(tenant.TenantId);
        Assert.Equal(2, stats.Calls("incidents", 403));
        Assert.Equal(2, stats.FaultsInjected);
        Assert.Empty((await sim.Admin.GetTenantAsync(tenant.TenantId))!.Faults);
    }

    [Fact]
    public async Task Injected_500_hits_only_its_source_until_cleared()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var siemToken = await sim.GetTokenAsync(tenant.TenantId, TestSimulator.SiemResource);
        var incidentsToken = await sim.GetTokenAsync(tenant.TenantId);
        await sim.Admin.SetFaultsAsync(tenant.TenantId, [new FaultSpec { Source = SimulatorFaultSource.Siem, Status = 500 }]);

        using (var siem = await sim.GetAsync("api/alerts", siemToken))
        using (var incidents = await sim.GetAsync("api/incidents", incidentsToken))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, siem.StatusCode);
            Assert.Equal("InternalServerError", (await siem.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
            Assert.Equal(HttpStatusCode.OK, incidents.StatusCode);
        }

        using (var again = await sim.GetAsync("api/alerts", siemToken))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, again.StatusCode);
        }

        await sim.Admin.ClearFaultsAsync(tenant.TenantId);
        using var healed = await sim.GetAsync("api/alerts", siemToken);
        Assert.Equal(HttpStatusCode.OK, healed.StatusCode);
    }

    [Fact]
    public async Task Injected_429_carries_retry_after()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId);
        await sim.Admin.AddFaultAsync(tenant.TenantId, new FaultSpec { Status = 429, RetryAfterSeconds = 17, Remaining = 1 });

        using var response = await sim.GetAsync("api/incidents", token);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(17), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Token_endpoint_fault_answers_with_an_Entra_error()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        await sim.Admin.AddFaultAsync(tenant.TenantId, new FaultSpec { Source = SimulatorFaultSource.Token, Status = 503, RetryAfterSeconds = 5, Remaining = 1 });

        var failed = await sim.RequestTokenAsync(tenant.TenantId.ToString(), TestSimulator.V1Form());
        Assert.Equal(TimeSpan.FromSeconds(5), failed.Headers.RetryAfter?.Delta);
        await TokenEndpointTests.AssertEntraErrorAsync(failed, 503, "temporarily_unavailable", 50000);

        using var recovered = await sim.RequestTokenAsync(tenant.TenantId.ToString(), TestSimulator.V1Form());
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }

    [Fact]
    public async Task Malformed_json_and_reset_faults_break_the_response()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId);
        await sim.Admin.SetFaultsAsync(tenant.TenantId,
        [
            new FaultSpec { Kind = SimulatorFaultKind.MalformedJson, Remaining = 1 },
            new FaultSpec { Kind = SimulatorFaultKind.Reset, Remaining = 1 },
        ]);

        using (var malformed = await sim.GetAsync("api/incidents", token))
        {
            Assert.Equal(HttpStatusCode.OK, malformed.StatusCode);
            await Assert.ThrowsAnyAsync<JsonException>(() => malformed.Content.ReadFromJsonAsync<JsonElement>());
        }

        await Assert.ThrowsAsync<HttpRequestException>(() => sim.GetAsync("api/incidents", token));
        using var healthy = await sim.GetAsync("api/incidents", token);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
    }

    [Fact]
    public async Task Documented_rate_limit_throttles_an_app_per_minute_when_enabled()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenantId = Guid.NewGuid();
        await sim.Admin.PutTenantAsync(TenantSpec.Create(tenantId, TestSimulator.ClientId, TestSimulator.Secret, TestSimulator.Quiet(incidentsPerMinute: 0)) with
        {
            Throttling = new ThrottlingSpec(),
        });
        var token = await sim.GetTokenAsync(tenantId);
        sim.Clock.Set(TestSimulator.Start.AddSeconds(20));

        for (var i = 0; i < 50; i++)
        {
            using var allowed = await sim.GetAsync("api/incidents", token);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using (var throttled = await sim.GetAsync("api/incidents", token))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(40), throttled.Headers.RetryAfter?.Delta);
        }

        sim.Clock.Advance(TimeSpan.FromSeconds(40));
        using var nextMinute = await sim.GetAsync("api/incidents", token);
        Assert.Equal(HttpStatusCode.OK, nextMinute.StatusCode);
    }
}
