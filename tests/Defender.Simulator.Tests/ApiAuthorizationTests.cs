using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Defender.Simulator.Tests;

public sealed class ApiAuthorizationTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    public async Task Missing_or_malformed_token_is_401(string? token)
    {
        await using var sim = await TestSimulator.StartAsync();
        await sim.AddTenantAsync();

        using var response = await sim.GetAsync("api/incidents", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Unauthorized", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Token_with_a_forged_signature_is_401()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var parts = (await sim.GetTokenAsync(tenant.TenantId)).Split('.');
        var forged = parts[0] + "." + parts[1] + "." + System.Buffers.Text.Base64Url.EncodeToString(new byte[32]);

        using var response = await sim.GetAsync("api/incidents", forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Token_is_refused_once_its_expiry_plus_clock_skew_has_passed()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId);

        sim.Clock.Advance(TimeSpan.FromSeconds(3599) + TimeSpan.FromMinutes(4));
        using (var withinSkew = await sim.GetAsync("api/incidents", token))
        {
            Assert.Equal(HttpStatusCode.OK, withinSkew.StatusCode);
        }

        sim.Clock.Advance(TimeSpan.FromMinutes(2));
        using var expired = await sim.GetAsync("api/incidents", token);

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains("expired", expired.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Token_used_before_its_not_before_time_is_401()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId);

        sim.Clock.Set(TestSimulator.Start - TimeSpan.FromMinutes(10));
        using var response = await sim.GetAsync("api/incidents", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not yet valid", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Token_for_another_api_is_401()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var siemToken = await sim.GetTokenAsync(tenant.TenantId, TestSimulator.SiemResource);
        var incidentsToken = await sim.GetTokenAsync(tenant.TenantId);

        using var incidents = await sim.GetAsync("api/incidents", siemToken);
        using var siem = await sim.GetAsync("api/alerts", incidentsToken);

        Assert.Equal(HttpStatusCode.Unauthorized, incidents.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, siem.StatusCode);
    }

    [Theory]
    [InlineData("https://graph.windows.net")]
    [InlineData("https://api.securitycenter.microsoft.com")]
    public async Task Siem_api_accepts_both_documented_audiences(string resource)
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();

        using var response = await sim.GetAsync("api/alerts", await sim.GetTokenAsync(tenant.TenantId, resource));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Another_tenants_id_in_the_header_is_401_and_counted_as_an_isolation_violation()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var other = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId);

        using var mismatched = await sim.GetAsync("api/incidents", token, r =>
        {
            r.Headers.Add("X-Mssp-Tenant-Id", other.TenantId.ToString());
            r.Headers.Add("X-Mssp-Silo-Id", "silo-7");
        });
        using var matching = await sim.GetAsync("api/incidents", token, r => r.Headers.Add("X-Mssp-Tenant-Id", tenant.TenantId.ToString()));

        Assert.Equal(HttpStatusCode.Unauthorized, mismatched.StatusCode);
        Assert.Equal(HttpStatusCode.OK, matching.StatusCode);
        Assert.Equal(1, (await sim.Admin.GetStatsAsync(tenant.TenantId)).IsolationViolations);
        var violation = Assert.Single(await sim.Admin.GetIsolationViolationsAsync());
        Assert.Equal(tenant.TenantId, violation.TokenTenantId);
        Assert.Equal(other.TenantId.ToString(), violation.HeaderTenantId);
        Assert.Equal("silo-7", violation.SiloId);
        Assert.Equal(1, (await sim.Admin.GetAllStatsAsync()).Global.IsolationViolations);
    }

    [Fact]
    public async Task Every_call_is_logged_with_status_host_and_silo()
    {
        // The product reaches the regional SIEM hosts through the simulator; a certificate naming one lets the test send its Host.
        using var certificate = Mssp.TestKit.TestCertificates.CreateServerCertificate("wdatp-alertexporter-eu.windows.com");
        await using var sim = await TestSimulator.StartAsync(certificate: certificate);
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId, TestSimulator.SiemResource);

        using (await sim.GetAsync("api/alerts?ago=PT10M", token, r =>
        {
            r.Headers.Host = "wdatp-alertexporter-eu.windows.com";
            r.Headers.Add("X-Mssp-Silo-Id", "silo-1");
        }))
        {
        }

        using (await sim.GetAsync("api/alerts?limit=zero", token))
        {
        }

        var log = await sim.Admin.GetCallsAsync(tenant.TenantId);
        Assert.Equal(2, log.Total);
        Assert.Collection(
            log.Calls,
            first =>
            {
                Assert.Equal(("/api/alerts", "?ago=PT10M", "siem", 200), (first.Path, first.Query, first.Source, first.Status));
                Assert.Equal("wdatp-alertexporter-eu.windows.com", first.Host);
                Assert.Equal("silo-1", first.SiloId);
                Assert.Equal(TestSimulator.ClientId, first.ClientId);
                Assert.Equal(TestSimulator.Start, first.Time);
            },
            second => Assert.Equal((400, (string?)null), (second.Status, second.SiloId)));
        var stats = await sim.Admin.GetStatsAsync(tenant.TenantId);
        Assert.Equal(1, stats.Calls("siem", 200));
        Assert.Equal(1, stats.Calls("siem", 400));
    }

    [Fact]
    public async Task Call_log_keeps_only_the_most_recent_calls()
    {
        await using var sim = await TestSimulator.StartAsync(new Hosting.SimulatorOptions { CallLogCapacity = 3 });
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId);

        for (var i = 0; i < 5; i++)
        {
            using (await sim.GetAsync($"api/incidents?$top={i + 1}", token))
            {
            }
        }

        var log = await sim.Admin.GetCallsAsync(tenant.TenantId);
        Assert.Equal(5, log.Total);
        Assert.Equal(["?$top=3", "?$top=4", "?$top=5"], log.Calls.Select(c => c.Query));
    }
}
