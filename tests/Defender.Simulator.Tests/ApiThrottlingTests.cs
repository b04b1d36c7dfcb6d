using Defender.Simulator.Api;
using Defender.Simulator.Hosting;
using Defender.Simulator.Tenants;
using Microsoft.Extensions.Options;

namespace Defender.Simulator.Tests;

/// <summary>
/// <see cref="ApiThrottling"/> directly, for APIs by name whether or not an endpoint serves them yet: the Graph
/// per-app limit across tenants, and the clock-aligned windows.
/// </summary>
public sealed class ApiThrottlingTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static SimulatedTenant Tenant(ThrottlingSettings? own = null) =>
        new(new TenantDefinition { TenantId = Guid.NewGuid(), Throttling = own }, Start, 10);

    private static ApiThrottling Throttling(Action<ThrottlingOptions> configure)
    {
        var options = new SimulatorOptions();
        configure(options.Throttling);
        return new ApiThrottling(Options.Create(options));
    }

    [Fact]
    public void Graph_apps_share_one_budget_per_10_seconds_across_tenants_and_both_graph_apis()
    {
        var throttling = Throttling(t =>
        {
            t.Apis["graph-alerts"].AppPer10Seconds = 3;
            t.Apis["graph-incidents"].AppPer10Seconds = 3;
        });
        var tenants = Enumerable.Range(0, 3).Select(_ => Tenant()).ToList();
        var now = Start.AddSeconds(4);

        Assert.Null(throttling.Check(tenants[0], "graph-alerts", "app", now, out _));
        Assert.Null(throttling.Check(tenants[1], "graph-incidents", "app", now, out _));
        Assert.Null(throttling.Check(tenants[2], "graph-alerts", "app", now, out _));
        var wait = throttling.Check(tenants[0], "graph-incidents", "app", now, out var exceeded);

        Assert.Equal(TimeSpan.FromSeconds(6), wait);
        Assert.Contains("3 per 10 Seconds", exceeded);
        Assert.Null(throttling.Check(tenants[0], "graph-alerts", "another-app", now, out _));
        Assert.Null(throttling.Check(tenants[0], "graph-alerts", "app", Start.AddSeconds(10), out _));
    }

    [Fact]
    public void Graph_allows_150_a_minute_per_app_per_tenant_by_default()
    {
        var throttling = Throttling(_ => { });
        var tenant = Tenant();
        var now = Start.AddSeconds(30);

        for (var i = 0; i < ThrottlingOptions.GraphPerMinute; i++)
        {
            Assert.Null(throttling.Check(tenant, "graph-alerts", "app", now, out _));
        }

        Assert.Equal(TimeSpan.FromSeconds(30), throttling.Check(tenant, "graph-alerts", "app", now, out _));
        Assert.Null(throttling.Check(Tenant(), "graph-alerts", "app", now, out _));
    }

    [Fact]
    public void An_api_without_limits_is_never_throttled_and_disabling_lifts_the_defaults()
    {
        var disabled = Throttling(t => t.Enabled = false);
        var tenant = Tenant();

        for (var i = 0; i < 200; i++)
        {
            Assert.Null(disabled.Check(tenant, "incidents", "app", Start, out _));
            Assert.Null(disabled.Check(tenant, "some-new-api", "app", Start, out _));
        }
    }

    [Fact]
    public void A_tenants_per_api_limits_win_over_the_simulator_wide_ones_for_any_api()
    {
        var throttling = Throttling(_ => { });
        var tenant = Tenant(new ThrottlingSettings
        {
            Apis = new() { ["alerts"] = new ApiRateLimitOptions { PerMinute = 1 } },
        });

        Assert.Null(throttling.Check(tenant, "alerts", "app", Start, out _));
        Assert.NotNull(throttling.Check(tenant, "alerts", "app", Start, out _));
        // The classic incidents fields of a tenant with settings keep their meaning (documented 50 a minute).
        for (var i = 0; i < ThrottlingSettings.DocumentedIncidentsPerMinute; i++)
        {
            Assert.Null(throttling.Check(tenant, "incidents", "app", Start, out _));
        }

        Assert.NotNull(throttling.Check(tenant, "incidents", "app", Start, out _));
    }

    [Fact]
    public void A_refused_call_is_not_counted_and_the_longest_window_decides_the_wait()
    {
        var window = new ThrottleWindow();
        RateLimit[] limits = [new(2, TimeSpan.FromMinutes(1)), new(3, TimeSpan.FromHours(1))];
        var now = Start.AddMinutes(59).AddSeconds(50);

        Assert.Null(window.TryAcquire(Start, limits, out _));
        Assert.Null(window.TryAcquire(Start, limits, out _));
        Assert.Equal(TimeSpan.FromMinutes(1), window.TryAcquire(Start, limits, out _));
        Assert.Null(window.TryAcquire(now, limits, out _));
        Assert.Equal(TimeSpan.FromSeconds(10), window.TryAcquire(now, limits, out var exceeded));
        Assert.Equal("3 per Hour", exceeded);
        Assert.False(window.IsIdle(now));
        Assert.True(window.IsIdle(Start.AddHours(1)));
    }
}
