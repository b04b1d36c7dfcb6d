using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Defender.ServiceDefaults.Tests;

public sealed class HealthEndpointsTests
{
    [Fact]
    public async Task Health_runs_every_check_while_alive_runs_only_the_liveness_check()
    {
        var builder = TestHosts.CreateBuilder();
        builder.AddServiceDefaults();
        builder.Services.AddHealthChecks().AddCheck("storage", () => HealthCheckResult.Unhealthy("storage is down"));
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = app.Address() };

        var health = await http.GetAsync(ServiceDefaultsExtensions.HealthPath);
        var alive = await http.GetAsync(ServiceDefaultsExtensions.AlivePath);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal("Healthy", await alive.Content.ReadAsStringAsync());
        await app.StopAsync();
    }

    [Fact]
    public async Task Health_is_healthy_when_every_check_is()
    {
        var builder = TestHosts.CreateBuilder();
        builder.AddServiceDefaults();
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = app.Address() };

        var health = await http.GetAsync(ServiceDefaultsExtensions.HealthPath);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        await app.StopAsync();
    }
}
