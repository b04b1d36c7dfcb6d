using Defender.Mssp.Defender.Api.Budgets;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.Telemetry;
using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;
using Defender.Mssp.TestKit.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Clock = Defender.Mssp.TestKit.ManualTimeProvider;

namespace Defender.Mssp.Defender.Tests.Api.Budgets;

/// <summary>Request budgets per tenant, app and API on a clock that moves only when the test moves it.</summary>
public sealed class RequestBudgetRegistryTests : IDisposable
{
    private const string App = "aaaaaaaa-0000-0000-0000-00000000000a";

    private readonly Clock _clock = new();
    private readonly TestMeterFactory _meters = new();
    private readonly MetricCapture _capture;

    public RequestBudgetRegistryTests() => _capture = new MetricCapture(_meters);

    public void Dispose()
    {
        _capture.Dispose();
        _meters.Dispose();
    }

    private static TenantSettings Tenant(int n, string clientId = App) =>
        new() { TenantId = $"00000000-0000-0000-0000-{n:D12}", ClientId = clientId };

    private RequestBudgetRegistry Registry(Action<DefenderBudgetOptions>? configure = null)
    {
        var options = new DefenderBudgetOptions { WindowMargin = TimeSpan.Zero };
        configure?.Invoke(options);
        return new RequestBudgetRegistry(Options.Create(options), _clock, NullLogger<RequestBudgetRegistry>.Instance, new DefenderBudgetMetrics(_meters));
    }

    private static Action<DefenderBudgetOptions> Incidents(int perMinute, int? perHour = null, double burst = 0.1) => options =>
        options.Apis[DefenderSources.Incidents] = new ApiBudgetOptions { PerMinute = perMinute, PerHour = perHour, BurstFraction = burst };

    /// <summary>The pending wait ends when the token is there: not before, and within the timer's millisecond resolution.</summary>
    private void AssertDueAtTokenTime(DateTimeOffset tokenTime) =>
        Assert.InRange(_clock.NextTimerDueAt!.Value, tokenTime, tokenTime.AddMilliseconds(1));

    private static async Task SendAsync(RequestBudgetRegistry registry, TenantSettings tenant, int count, string api = DefenderSources.Incidents)
    {
        for (var i = 0; i < count; i++)
        {
            var wait = registry.WaitAsync(api, tenant, CancellationToken.None);
            Assert.True(wait.IsCompleted, $"request {i + 1} of {count} had to wait");
            await wait;
        }
    }

    [Fact]
    public async Task A_request_beyond_the_burst_waits_exactly_until_its_token_comes_back()
    {
        var registry = Registry(Incidents(perMinute: 10, burst: 0.2)); // 2 at once, then one per 60/9 s
        var tenant = Tenant(1);
        await SendAsync(registry, tenant, 2);
        var start = _clock.GetUtcNow();

        var third = registry.WaitAsync(DefenderSources.Incidents, tenant, CancellationToken.None).AsTask();

        Assert.False(third.IsCompleted);
        AssertDueAtTokenTime(start + TimeSpan.FromSeconds(60.0 / 9));
        _clock.Advance(TimeSpan.FromSeconds(6));
        Assert.False(third.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await third;

        var waited = Assert.Single(_capture.Of("defender.api.budget_waits"));
        Assert.Equal(DefenderSources.Incidents, waited.Tag("defender.source"));
        Assert.Equal(60.0 / 9, Assert.Single(_capture.Of("defender.api.budget_wait.duration")).Value, 3);
    }

    [Fact]
    public async Task One_tenants_spent_budget_never_delays_another_tenant_or_another_api()
    {
        var registry = Registry(Incidents(perMinute: 10, burst: 0.2));
        await SendAsync(registry, Tenant(1), 2);

        Assert.False(registry.WaitAsync(DefenderSources.Incidents, Tenant(1), CancellationToken.None).IsCompleted);
        await SendAsync(registry, Tenant(2), 2);
        await SendAsync(registry, Tenant(1), 2, DefenderSources.Siem);
    }

    [Fact]
    public async Task Tenants_with_their_own_app_registration_have_their_own_budget()
    {
        var registry = Registry(Incidents(perMinute: 10, burst: 0.2));
        await SendAsync(registry, Tenant(1), 2);

        await SendAsync(registry, Tenant(1) with { ClientId = "bbbbbbbb-0000-0000-0000-00000000000b" }, 2);
    }

    [Fact]
    public async Task The_graph_app_budget_is_shared_across_tenants_and_both_graph_apis()
    {
        var registry = Registry(options =>
        {
            options.Apis[DefenderSources.GraphAlerts].AppPer10Seconds = 20;  // capacity 2 at burst 0.1
            options.Apis[DefenderSources.GraphIncidents].AppPer10Seconds = 20;
        });

        await SendAsync(registry, Tenant(1), 1, DefenderSources.GraphAlerts);
        await SendAsync(registry, Tenant(2), 1, DefenderSources.GraphIncidents);
        var third = registry.WaitAsync(DefenderSources.GraphAlerts, Tenant(3), CancellationToken.None);
        var otherApp = registry.WaitAsync(DefenderSources.GraphAlerts, Tenant(3, "cccccccc-0000-0000-0000-00000000000c"), CancellationToken.None);

        Assert.False(third.IsCompleted);
        Assert.True(otherApp.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(10));
        await third;
    }

    [Fact]
    public async Task A_429_holds_the_tenants_other_requests_until_its_retry_after_and_only_that_tenant_and_api()
    {
        var registry = Registry();
        var tenant = Tenant(1);
        await SendAsync(registry, tenant, 1);
        var throttledAt = _clock.GetUtcNow();

        registry.Throttled(DefenderSources.Incidents, tenant, TimeSpan.FromSeconds(30));
        var next = registry.WaitAsync(DefenderSources.Incidents, tenant, CancellationToken.None).AsTask();

        Assert.Equal(throttledAt.AddSeconds(30), _clock.NextTimerDueAt);
        await SendAsync(registry, Tenant(2), 1);
        await SendAsync(registry, tenant, 1, DefenderSources.Siem);
        _clock.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        Assert.False(next.IsCompleted);
        _clock.Advance(TimeSpan.FromTicks(1));
        await next;
        // After the pause the budget starts from one token: the next request is paced, not part of a burst.
        Assert.False(registry.WaitAsync(DefenderSources.Incidents, tenant, CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task A_429_pauses_even_an_api_without_configured_limits()
    {
        var registry = Registry();
        var tenant = Tenant(1);
        await SendAsync(registry, tenant, 3, "some-future-api");

        registry.Throttled("some-future-api", tenant, TimeSpan.FromSeconds(5));

        Assert.False(registry.WaitAsync("some-future-api", tenant, CancellationToken.None).IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(5));
        await SendAsync(registry, tenant, 3, "some-future-api");
    }

    [Fact]
    public async Task A_wait_longer_than_max_wait_fails_at_once_with_a_429_and_spends_nothing()
    {
        var registry = Registry(options => options.MaxWait = TimeSpan.FromSeconds(10));
        var tenant = Tenant(1);
        registry.Throttled(DefenderSources.Incidents, tenant, TimeSpan.FromMinutes(5));

        var error = await Assert.ThrowsAsync<DefenderApiException>(
            () => registry.WaitAsync(DefenderSources.Incidents, tenant, CancellationToken.None).AsTask());

        Assert.Equal(429, error.StatusCode);
        Assert.Equal("BudgetExhausted", error.ErrorCode);
        Assert.Equal(TimeSpan.FromMinutes(5), error.RetryAfter);
        Assert.Single(_capture.Of("defender.api.budget_exhausted"));
        _clock.Advance(TimeSpan.FromMinutes(5));
        await SendAsync(registry, tenant, 1);
    }

    [Fact]
    public async Task Cancelling_a_waiting_request_gives_its_token_back()
    {
        var registry = Registry(Incidents(perMinute: 10, burst: 0.2));
        var tenant = Tenant(1);
        await SendAsync(registry, tenant, 2);
        var firstDue = _clock.GetUtcNow() + TimeSpan.FromSeconds(60.0 / 9);
        using var cancellation = new CancellationTokenSource();

        var cancelled = registry.WaitAsync(DefenderSources.Incidents, tenant, cancellation.Token).AsTask();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var next = registry.WaitAsync(DefenderSources.Incidents, tenant, CancellationToken.None).AsTask();

        AssertDueAtTokenTime(firstDue);
        _clock.Advance(TimeSpan.FromSeconds(7));
        await next;
    }

    [Fact]
    public async Task Disabled_budgets_never_wait()
    {
        var registry = Registry(options => options.Enabled = false);
        var tenant = Tenant(1);
        registry.Throttled(DefenderSources.Incidents, tenant, TimeSpan.FromMinutes(1));

        await SendAsync(registry, tenant, 500);
        Assert.Equal(0, registry.Count);
    }

    [Fact]
    public async Task Budgets_of_idle_tenants_are_forgotten_so_state_stays_bounded()
    {
        var registry = Registry();
        for (var n = 0; n < 2_000; n++)
        {
            await SendAsync(registry, Tenant(n), 1);
            await SendAsync(registry, Tenant(n), 1, DefenderSources.GraphAlerts);
        }

        Assert.Equal(2_000 * 2 + 1, registry.Count); // per tenant and API, plus the Graph app budget

        // Once every bucket has refilled (the hourly one's burst comes back within minutes) a sweep drops them all.
        _clock.Advance(TimeSpan.FromHours(1));
        await SendAsync(registry, Tenant(1), 1);

        Assert.Equal(1, registry.Count);
    }

    [Fact]
    public async Task An_idle_tenants_budgets_go_within_seconds_of_refilling_not_minutes()
    {
        var registry = Registry();
        await SendAsync(registry, Tenant(1), 1);
        await SendAsync(registry, Tenant(2), 1);
        Assert.Equal(2, registry.Count);

        // Default limits: a token back every 1.3 s (a minute's) and 2.7 s (an hour's); a poll every minute is long idle.
        _clock.Advance(TimeSpan.FromSeconds(10));
        await SendAsync(registry, Tenant(2), 1);

        Assert.Equal(1, registry.Count);
    }

    [Fact]
    public async Task A_budget_still_refilling_survives_the_sweep()
    {
        var registry = Registry(Incidents(perMinute: 10, burst: 0.2)); // 2 at once, then one per 60/9 s
        var tenant = Tenant(1);
        await SendAsync(registry, tenant, 2);                          // the first sweep ran; the next is due in a minute
        _clock.Advance(TimeSpan.FromSeconds(59));
        await SendAsync(registry, tenant, 2);                          // refilled, spent again

        _clock.Advance(TimeSpan.FromSeconds(2));
        await SendAsync(registry, Tenant(2), 1);                       // sweeps

        Assert.Equal(2, registry.Count);
        Assert.False(registry.WaitAsync(DefenderSources.Incidents, tenant, CancellationToken.None).IsCompleted);
    }
}
