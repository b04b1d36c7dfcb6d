using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Defender.Mssp.TestKit.Simulation;
using Defender.Simulator.Hosting;
using Defender.Simulator.Tenants;
using Microsoft.Extensions.Configuration;

namespace Defender.Simulator.Tests;

/// <summary>The documented API rate limits, enforced over HTTP per tenant, app and API, with 429 and Retry-After.</summary>
public sealed class ThrottlingTests
{
    private static SimulatorOptions WithLimits(string api, int? perMinute, int? perHour)
    {
        var options = new SimulatorOptions();
        options.Throttling.Apis[api] = new ApiRateLimitOptions { PerMinute = perMinute, PerHour = perHour };
        return options;
    }

    private static async Task<HttpStatusCode[]> CallAsync(TestSimulator sim, string path, string token, int times)
    {
        var statuses = new HttpStatusCode[times];
        for (var i = 0; i < times; i++)
        {
            using var response = await sim.GetAsync(path, token);
            statuses[i] = response.StatusCode;
        }

        return statuses;
    }

    [Fact]
    public async Task The_documented_incidents_limit_is_enforced_by_default_with_retry_after_to_the_end_of_the_minute()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync(TestSimulator.Quiet(incidentsPerMinute: 0));
        var token = await sim.GetTokenAsync(tenant.TenantId);
        sim.Clock.Set(TestSimulator.Start.AddSeconds(15));

        Assert.All(await CallAsync(sim, "api/incidents?$top=1", token, ThrottlingOptions.IncidentsPerMinute),
            status => Assert.Equal(HttpStatusCode.OK, status));
        using (var throttled = await sim.GetAsync("api/incidents?$top=1", token))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(45), throttled.Headers.RetryAfter?.Delta);
            var error = (await throttled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
            Assert.Equal("TooManyRequests", error.GetProperty("code").GetString());
            Assert.Contains("50 per Minute", error.GetProperty("message").GetString());
            Assert.Contains("Try again in 45 seconds", error.GetProperty("message").GetString());
        }

        sim.Clock.Set(TestSimulator.Start.AddMinutes(1));
        using var nextMinute = await sim.GetAsync("api/incidents?$top=1", token);
        Assert.Equal(HttpStatusCode.OK, nextMinute.StatusCode);
        var stats = await sim.Admin.GetStatsAsync(tenant.TenantId);
        Assert.Equal(1, stats.Calls("incidents", 429));
        Assert.Equal(ThrottlingOptions.IncidentsPerMinute + 1, stats.Calls("incidents", 200));
    }

    [Fact]
    public async Task The_hourly_limit_holds_across_minutes_and_its_retry_after_runs_to_the_end_of_the_hour()
    {
        await using var sim = await TestSimulator.StartAsync(WithLimits("incidents", perMinute: 3, perHour: 7));
        var tenant = await sim.AddTenantAsync(TestSimulator.Quiet(incidentsPerMinute: 0));
        var token = await sim.GetTokenAsync(tenant.TenantId);

        var statuses = new List<HttpStatusCode>();
        for (var minute = 0; minute < 3; minute++)
        {
            sim.Clock.Set(TestSimulator.Start.AddMinutes(minute));
            statuses.AddRange(await CallAsync(sim, "api/incidents?$top=1", token, 3));
        }

        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses[^3..^1]);
        using var throttled = await sim.GetAsync("api/incidents?$top=1", token);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(58), throttled.Headers.RetryAfter?.Delta); // 12:02 → 13:00

        sim.Clock.Set(TestSimulator.Start.AddHours(1));
        using var nextHour = await sim.GetAsync("api/incidents?$top=1", token);
        Assert.Equal(HttpStatusCode.OK, nextHour.StatusCode);
    }

    [Fact]
    public async Task Limits_are_counted_per_api_so_one_exhausted_api_leaves_the_other_alone()
    {
        await using var sim = await TestSimulator.StartAsync(WithLimits("incidents", perMinute: 2, perHour: null));
        var tenant = await sim.AddTenantAsync(TestSimulator.Quiet(incidentsPerMinute: 0, siemPerMinute: 0));
        var incidents = await sim.GetTokenAsync(tenant.TenantId);
        var siem = await sim.GetTokenAsync(tenant.TenantId, TestSimulator.SiemResource);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], await CallAsync(sim, "api/incidents", incidents, 3));
        Assert.All(await CallAsync(sim, "api/alerts", siem, 3), status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public async Task Limits_are_counted_per_app_and_per_tenant()
    {
        await using var sim = await TestSimulator.StartAsync(WithLimits("incidents", perMinute: 2, perHour: null));
        var first = await sim.AddTenantAsync(TestSimulator.Quiet(incidentsPerMinute: 0));
        var second = await sim.AddTenantAsync(TestSimulator.Quiet(incidentsPerMinute: 0));
        await sim.Admin.PutAppAsync(first.TenantId, new AppSpec { ClientId = "other-app", Secrets = [new SecretSpec { Value = "other-secret" }] });
        var firstToken = await sim.GetTokenAsync(first.TenantId);
        var secondToken = await sim.GetTokenAsync(second.TenantId);
        string otherAppToken;
        using (var response = await sim.RequestTokenAsync(first.TenantId.ToString(), TestSimulator.V1Form(clientId: "other-app", secret: "other-secret")))
        {
            otherAppToken = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await CallAsync(sim, "api/incidents", firstToken, 3))[^1]);
        Assert.All(await CallAsync(sim, "api/incidents", otherAppToken, 2), status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.All(await CallAsync(sim, "api/incidents", secondToken, 2), status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public async Task Limits_can_be_raised_and_disabled_at_run_time_through_the_admin_api()
    {
        await using var sim = await TestSimulator.StartAsync(WithLimits("incidents", perMinute: 2, perHour: null));
        var throttling = new SimulatorThrottlingClient(sim.Http);
        var tenant = await sim.AddTenantAsync(TestSimulator.Quiet(incidentsPerMinute: 0));
        var token = await sim.GetTokenAsync(tenant.TenantId);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await CallAsync(sim, "api/incidents", token, 3))[^1]);

        var raised = await throttling.PutAsync(new ThrottlingLimitsSpec
        {
            Apis = new() { ["incidents"] = new ApiRateLimitSpec { PerMinute = 5 } },
        });
        Assert.Equal(5, raised.Apis!["incidents"].PerMinute);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests],
            await CallAsync(sim, "api/incidents", token, 4)); // the two calls already made still count

        await throttling.DisableAsync();
        Assert.All(await CallAsync(sim, "api/incidents", token, 5), status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.False((await throttling.GetAsync()).Enabled);
    }

    [Fact]
    public async Task Negative_limits_are_refused_by_the_admin_api()
    {
        await using var sim = await TestSimulator.StartAsync();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => new SimulatorThrottlingClient(sim.Http).PutAsync(new ThrottlingLimitsSpec
        {
            Apis = new() { ["incidents"] = new ApiRateLimitSpec { PerMinute = -1 } },
        }));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task A_tenants_own_limits_replace_the_simulator_wide_ones()
    {
        await using var sim = await TestSimulator.StartAsync(WithLimits("incidents", perMinute: 2, perHour: null));
        var generous = await sim.Admin.PutTenantAsync(TenantSpec.Create(Guid.NewGuid(), TestSimulator.ClientId, TestSimulator.Secret,
            TestSimulator.Quiet(incidentsPerMinute: 0)) with { Throttling = new ThrottlingSpec { IncidentsPerMinute = 4 } });
        var token = await sim.GetTokenAsync(generous.TenantId);

        var statuses = await CallAsync(sim, "api/incidents", token, 5);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Limits_bind_from_configuration_over_the_documented_defaults()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Simulator:Throttling:Apis:incidents:PerMinute"] = "10",
                ["Simulator:Throttling:Apis:graph-alerts:AppPer10Seconds"] = "500",
            })
            .Build();
        var options = new SimulatorOptions();

        configuration.GetSection(SimulatorOptions.SectionName).Bind(options);

        Assert.True(options.Throttling.Enabled);
        Assert.Equal(10, options.Throttling.Apis["incidents"].PerMinute);
        Assert.Equal(ThrottlingOptions.IncidentsPerHour, options.Throttling.Apis["incidents"].PerHour);
        Assert.Equal(500, options.Throttling.Apis["graph-alerts"].AppPer10Seconds);
        Assert.Equal(ThrottlingOptions.GraphPerMinute, options.Throttling.Apis["graph-alerts"].PerMinute);
        Assert.Equal(ThrottlingOptions.SiemPerMinute, options.Throttling.Apis["siem"].PerMinute);
    }
}
