using Defender.Mssp.Grains.State;
using Defender.Mssp.Grains.Telemetry;
using Defender.Mssp.Grains.Tests.Fakes;
using Defender.Mssp.Sources;
using Defender.Mssp.TestKit.Telemetry;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Grains.Tests.Telemetry;

/// <summary>The grain metrics a real grain's turns produce: names, units, tags, lag and per-tenant series.</summary>
public sealed class TenantGrainMetricsTests : IDisposable
{
    private const string TenantId = GrainHarness.TenantId;

    private readonly GrainHarness _h = new();
    private readonly TestMeterFactory _meters = new();
    private readonly MetricCapture _capture;

    public TenantGrainMetricsTests() => _capture = new MetricCapture(_meters);

    public void Dispose()
    {
        _capture.Dispose();
        _meters.Dispose();
    }

    private TenantGrainMetrics Metrics(TenantMetricsOptions? options = null)
    {
        var metrics = new TenantGrainMetrics(_meters, Options.Create(options ?? new TenantMetricsOptions()), _h.Clock);
        _h.Observers.Add(metrics);
        return metrics;
    }

    [Fact]
    public async Task A_delivering_poll_is_counted_timed_and_its_records_counted_by_source_and_outcome()
    {
        Metrics();
        _h.Incidents.Publish("inc-1", _h.Now.AddMinutes(-30));
        _h.Incidents.Publish("inc-2", _h.Now.AddMinutes(-20));
        _h.Incidents.Publish("inc-3", _h.Now.AddMinutes(-10));
        var grain = await _h.ActivateAsync();

        await grain.PollOnceAsync(CancellationToken.None);

        var poll = Assert.Single(_capture.Of("defender.polls"));
        Assert.Equal("{poll}", poll.Unit);
        Assert.Equal(1, poll.Value);
        Assert.True(poll.HasTags(
            ("defender.source", DefenderSources.Incidents), ("defender.poll.outcome", "delivered"), ("defender.tenant.id", TenantId)));
        Assert.Null(poll.Tag("error.type"));

        var duration = Assert.Single(_capture.Of("defender.poll.duration"));
        Assert.Equal("s", duration.Unit);
        Assert.True(duration.HasTags(("defender.source", DefenderSources.Incidents), ("defender.poll.outcome", "delivered")));

        var delivered = Assert.Single(_capture.Of("defender.records.delivered"));
        Assert.Equal("{record}", delivered.Unit);
        Assert.Equal(3, delivered.Value);
        Assert.True(delivered.HasTags(("defender.source", DefenderSources.Incidents)));
    }

    [Fact]
    public async Task A_failed_poll_is_counted_with_the_sources_health_as_its_error_type()
    {
        Metrics();
        _h.Incidents.FailNextRead(new DefenderApiException(DefenderSources.Incidents, 403, "Forbidden", "Forbidden"));
        var grain = await _h.ActivateAsync();

        await grain.PollOnceAsync(CancellationToken.None);

        var poll = Assert.Single(_capture.Of("defender.polls"));
        Assert.True(poll.HasTags(("defender.poll.outcome", "failed"), ("error.type", "needs_operator")));
        Assert.Empty(_capture.Of("defender.records.delivered"));
    }

    [Fact]
    public async Task A_source_backing_off_is_not_counted_as_a_poll()
    {
        Metrics();
        _h.Incidents.FailNextRead(new DefenderApiException(DefenderSources.Incidents, 500, "boom"));
        var grain = await _h.ActivateAsync();
        await grain.PollOnceAsync(CancellationToken.None);

        await grain.PollOnceAsync(CancellationToken.None);

        Assert.Single(_capture.Of("defender.polls"));
    }

    [Fact]
    public async Task Checkpoint_lag_is_now_minus_the_watermark_and_grows_with_the_clock()
    {
        Metrics();
        var grain = await _h.ActivateAsync();
        await grain.PollOnceAsync(CancellationToken.None);
        var watermark = _h.SavedCheckpoint()!.Watermark!.Value;

        _h.Clock.Advance(TimeSpan.FromMinutes(10));

        var expected = (_h.Now - watermark).TotalSeconds;
        Assert.Equal(660, expected); // ten minutes plus the one-minute ingestion delay
        var max = Assert.Single(_capture.Observe("defender.checkpoint.lag.max"));
        Assert.Equal("s", max.Unit);
        Assert.Equal(expected, max.Value);
        Assert.True(max.HasTags(("defender.source", DefenderSources.Incidents)));
        Assert.Null(max.Tag("defender.tenant.id"));
        var perTenant = Assert.Single(_capture.Observe("defender.checkpoint.lag"));
        Assert.Equal("s", perTenant.Unit);
        Assert.Equal(expected, perTenant.Value);
        Assert.True(perTenant.HasTags(("defender.tenant.id", TenantId), ("defender.source", DefenderSources.Incidents)));
    }

    [Fact]
    public async Task A_failing_source_keeps_reporting_the_lag_of_its_last_watermark()
    {
        Metrics();
        var grain = await _h.ActivateAsync();
        await grain.PollOnceAsync(CancellationToken.None);
        var watermark = _h.SavedCheckpoint()!.Watermark!.Value;
        _h.Clock.Advance(TimeSpan.FromMinutes(5));
        _h.Incidents.FailNextRead(new DefenderApiException(DefenderSources.Incidents, 500, "boom"));
        await grain.PollOnceAsync(CancellationToken.None);

        _h.Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal((_h.Now - watermark).TotalSeconds, Assert.Single(_capture.Observe("defender.checkpoint.lag.max")).Value);
    }

    [Fact]
    public async Task A_deactivated_tenant_leaves_the_lag_gauges()
    {
        Metrics();
        var grain = await _h.ActivateAsync();
        await grain.PollOnceAsync(CancellationToken.None);
        Assert.Single(_capture.Observe("defender.checkpoint.lag.max"));

        await grain.DeactivateAsync(CancellationToken.None);

        Assert.Empty(_capture.Observe("defender.checkpoint.lag.max"));
        Assert.Empty(_capture.Observe("defender.checkpoint.lag"));
    }

    [Fact]
    public async Task A_paused_tenant_leaves_the_lag_gauges()
    {
        var metrics = Metrics();
        var grain = await _h.ActivateAsync();
        await grain.PollOnceAsync(CancellationToken.None);

        grain.UpdateSettings(_h.Settings with { Paused = true });
        await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(0, metrics.TrackedTenants);
        Assert.Empty(_capture.Observe("defender.checkpoint.lag.max"));
    }

    [Fact]
    public void The_max_lag_is_the_furthest_behind_tenant_per_source_and_per_tenant_series_stop_above_the_limit()
    {
        var metrics = Metrics(new TenantMetricsOptions { PerTenantSeriesMaxTenants = 2 });
        var now = _h.Now;
        metrics.OnPollCompleted(Turn("tenant-a", now, (DefenderSources.Incidents, now.AddMinutes(-3)), (DefenderSources.Siem, now.AddMinutes(-1))));
        metrics.OnPollCompleted(Turn("tenant-b", now, (DefenderSources.Incidents, now.AddMinutes(-7))));
        Assert.True(metrics.PerTenantSeriesEnabled);
        Assert.Equal(3, _capture.Observe("defender.checkpoint.lag").Count);

        metrics.OnPollCompleted(Turn("tenant-c", now, (DefenderSources.Incidents, now.AddMinutes(-2))));

        Assert.False(metrics.PerTenantSeriesEnabled);
        var max = _capture.Observe("defender.checkpoint.lag.max").ToDictionary(m => m.Tag("defender.source")!, m => m.Value);
        Assert.Equal(new Dictionary<string, double> { [DefenderSources.Incidents] = 420, [DefenderSources.Siem] = 60 }, max);
        Assert.Empty(_capture.Observe("defender.checkpoint.lag"));
        Assert.Null(_capture.Of("defender.polls").Last().Tag("defender.tenant.id"));
    }

    [Theory]
    [InlineData(PerTenantSeries.Always, 0, true)]
    [InlineData(PerTenantSeries.Never, 1000, false)]
    [InlineData(PerTenantSeries.Auto, 1, true)]
    [InlineData(PerTenantSeries.Auto, 0, false)]
    public void Per_tenant_series_follow_the_option(PerTenantSeries mode, int maxTenants, bool expected)
    {
        var metrics = Metrics(new TenantMetricsOptions { PerTenantSeries = mode, PerTenantSeriesMaxTenants = maxTenants });

        metrics.OnPollCompleted(Turn("tenant-a", _h.Now, (DefenderSources.Incidents, _h.Now)));

        Assert.Equal(expected, metrics.PerTenantSeriesEnabled);
        Assert.Equal(expected, Assert.Single(_capture.Of("defender.polls")).Tag("defender.tenant.id") == "tenant-a");
        Assert.Equal(expected ? 1 : 0, _capture.Observe("defender.checkpoint.lag").Count);
    }

    private static TenantPollResult Turn(string tenantId, DateTimeOffset at, params (string Source, DateTimeOffset Watermark)[] sources) =>
        new(tenantId, PollOutcome.NothingNew, TenantHealth.Healthy,
            sources.Select(source => new SourcePollResult(
                source.Source, SourcePollStatus.NothingNew, 0, TenantHealth.Healthy, null, null, TimeSpan.Zero, source.Watermark)).ToList(),
            at, TimeSpan.Zero, StateWritten: false);
}
