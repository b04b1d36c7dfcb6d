using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Runtime.Telemetry;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Telemetry;
using Microsoft.Extensions.Logging;

namespace Defender.Mssp.Runtime.Tests.Cluster;

/// <summary>
/// How a member schedules renewals (against Azurite, on a clock the test moves): each lease when it is due — a period
/// after its last renewal — not all of them every period; late renewals are measured, counted and warned about.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RenewalSchedulingTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const int Tenants = 6;
    private static readonly ClusterOptions Options = TestCluster.DrivenOptions("a");
    private static readonly TimeSpan Period = Options.LeaseRenewalPeriod;

    private readonly ManualTimeProvider _time = new();
    private readonly TestMeterFactory _meters = new();
    private readonly CapturingLoggerFactory _logs = new();
    private MetricCapture _capture = null!;
    private TestCluster _cluster = null!;
    private ClusterMember _member = null!;

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        _capture = new MetricCapture(_meters);
        _cluster = await TestCluster.CreateAsync(azurite, Tenants, _time);
        _cluster.Metrics = new ClusterMetrics(_meters);
        _cluster.LoggerFactory = _logs;
        _member = await _cluster.JoinAsync("a", Options);
        await _member.RunBalancingRoundAsync(Ct);
        Assert.Equal(Tenants, _member.OwnedCount);
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _capture.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public async Task Leases_are_first_renewed_between_half_and_a_whole_period_after_their_claim_and_only_when_due()
    {
        _time.Advance(Period / 2 - TimeSpan.FromSeconds(1));
        var tooEarly = await _member.RenewDueLeasesAsync(Ct);
        _time.Advance(Period / 2 + TimeSpan.FromSeconds(1));
        var due = await _member.RenewDueLeasesAsync(Ct);
        var again = await _member.RenewDueLeasesAsync(Ct);

        Assert.Equal(0, tooEarly.Renewed);
        Assert.Equal(Tenants, due.Renewed);
        Assert.Equal(0, again.Renewed + again.Skipped);
    }

    [Fact]
    public async Task Frequent_passes_keep_every_lease_renewing_each_about_once_a_period()
    {
        var step = TimeSpan.FromSeconds(1);
        var span = Options.LeaseDuration * 3;
        var renewed = 0;

        for (var elapsed = TimeSpan.Zero; elapsed < span; elapsed += step)
        {
            _time.Advance(step);
            renewed += (await _member.RenewDueLeasesAsync(Ct)).Renewed;
        }

        Assert.Equal(Tenants, _member.OwnedCount);
        Assert.All(_cluster.Ledger.All, activation => Assert.Null(activation.EndedAs));
        var periods = (int)(span / Period);
        // Not every lease on every pass: once a period each (plus the earlier first renewal), however often passes run.
        Assert.InRange(renewed, Tenants * (periods - 1), Tenants * (periods + 1));
    }

    [Fact]
    public async Task A_lease_renewed_by_another_caller_is_not_renewed_again_when_its_old_due_time_comes()
    {
        _time.Advance(Period / 2 - TimeSpan.FromSeconds(1));
        var forced = await _member.RenewLeasesAsync(Ct);
        _time.Advance(Period / 2 + TimeSpan.FromSeconds(1));
        var atOldDueTime = await _member.RenewDueLeasesAsync(Ct);
        _time.Advance(Period);
        var atNewDueTime = await _member.RenewDueLeasesAsync(Ct);

        Assert.Equal(Tenants, forced.Renewed);
        Assert.Equal(0, atOldDueTime.Renewed);
        Assert.Equal(Tenants, atNewDueTime.Renewed);
    }

    [Fact]
    public async Task Renewals_that_start_half_a_period_late_are_measured_counted_and_warned_about()
    {
        // Every first renewal is due within a period; a period and a half later they are all well behind,
        // though still inside the lease's validity.
        var lag = Period + Period / 2;
        Assert.True(lag < Options.LeaseValidity);
        _time.Advance(lag);
        var late = await _member.RenewDueLeasesAsync(Ct);
        var lateLags = _capture.Of("defender.leases.renewal.lag").Select(m => m.Value).ToList();
        _time.Advance(Period);
        var onTime = await _member.RenewDueLeasesAsync(Ct);

        Assert.Equal(Tenants, late.Renewed);
        Assert.Equal(Tenants, onTime.Renewed);
        Assert.Equal(Tenants, lateLags.Count);
        Assert.All(lateLags, seconds => Assert.InRange(seconds, (Period / 2).TotalSeconds, lag.TotalSeconds));
        Assert.Equal(Tenants, _capture.Of("defender.leases.renewals.late").Sum(m => m.Value));
        Assert.All(_capture.Of("defender.leases.renewal.lag").Skip(Tenants), m => Assert.Equal(0, m.Value));
        Assert.Equal("s", _capture.UnitOf("defender.leases.renewal.lag"));
        Assert.All(_capture.Of("defender.leases.renewal.lag"), m => Assert.Equal("a", m.Tag("defender.silo.id")));
        var warning = Assert.Single(_logs.Entries, entry => entry.Id.Id == 121);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains($"{Tenants} renewals started", warning.Message);
        Assert.Contains("Cluster:MaxConcurrentLeaseRenewals", warning.Message);
    }

    [Fact]
    public async Task Renewals_on_time_record_no_lag_and_no_warning()
    {
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(Period);
            await _member.RenewDueLeasesAsync(Ct);
        }

        Assert.NotEmpty(_capture.Of("defender.leases.renewal.lag"));
        Assert.All(_capture.Of("defender.leases.renewal.lag"), m => Assert.InRange(m.Value, 0, (Period / 2).TotalSeconds));
        Assert.Empty(_capture.Of("defender.leases.renewals.late"));
        Assert.DoesNotContain(_logs.Entries, entry => entry.Level >= LogLevel.Warning);
    }
}

/// <summary>Renewals that fail or hang, on a container that makes them (Azurite underneath).</summary>
[Collection(ClusterCollection.Name)]
public sealed class DisturbedRenewalTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task A_failed_renewal_is_retried_a_quarter_period_later_not_a_whole_period_later()
    {
        var time = new ManualTimeProvider();
        var logs = new CapturingLoggerFactory();
        var container = new FlakyRenewalContainer(azurite.ConnectionString, AzuriteFixture.UniqueContainerName("flaky"));
        await using var cluster = new TestCluster(container, new ListCatalog(3), time) { LoggerFactory = logs };
        var options = TestCluster.DrivenOptions("a");
        var member = await cluster.JoinAsync("a", options);
        await member.RunBalancingRoundAsync(Ct);
        var period = options.LeaseRenewalPeriod;

        time.Advance(period);
        container.Failing = true;
        var failed = await member.RenewDueLeasesAsync(Ct);
        container.Failing = false;
        time.Advance(period / 4 - TimeSpan.FromSeconds(1));
        var beforeRetry = await member.RenewDueLeasesAsync(Ct);
        time.Advance(TimeSpan.FromSeconds(1));
        var retried = await member.RenewDueLeasesAsync(Ct);

        Assert.Equal((0, 3), (failed.Renewed, failed.Failed));
        Assert.Equal(0, beforeRetry.Renewed + beforeRetry.Failed);
        Assert.Equal(3, retried.Renewed);
        Assert.Equal(3, member.OwnedCount);
        Assert.All(cluster.Ledger.All, activation => Assert.Null(activation.EndedAs));
        Assert.Equal(3, logs.Entries.Count(entry => entry.Id.Id == 119 && entry.Message.Contains("retrying in")));
    }

    [Fact]
    public async Task A_hanging_renewal_holds_up_only_its_own_lease_while_the_loop_keeps_renewing_the_others()
    {
        var stuck = ListCatalog.Tenant(0).TenantId;
        var container = new FlakyRenewalContainer(azurite.ConnectionString, AzuriteFixture.UniqueContainerName("stuck"))
        {
            StuckBlob = $"state/{stuck}.json",
        };
        await using var cluster = new TestCluster(container, new ListCatalog(3), TimeProvider.System);
        // A long lease, so the hanging renewal's lease stays held for many periods: what matters is the order of events.
        var options = TestCluster.LiveOptions("a");
        options.LeaseDuration = TimeSpan.FromSeconds(30);
        var member = await cluster.StartAsync("a", options);
        await TestCluster.WaitUntilAsync(() => member.OwnedCount == 3, TimeSpan.FromSeconds(60), "the member owns all 3");
        var stuckLease = member.GetOwnership(stuck)!;
        var others = cluster.Catalog.Ids.Where(id => id != stuck).Select(id => $"state/{id}.json").ToList();

        // Before, a round waited for every renewal in it: nothing was renewed again until the hanging request ended,
        // which it did only when its lease was given up at the safety deadline.
        await TestCluster.WaitUntilAsync(
            () => others.All(blob => container.RenewalsOf(blob) >= 3) || stuckLease.Lost.IsCancellationRequested,
            TimeSpan.FromSeconds(60), "the others are renewed three times (or the stuck lease is lost)");

        Assert.False(stuckLease.Lost.IsCancellationRequested, "the stuck lease was lost before the others were renewed three times");
        Assert.Equal(1, container.RenewalsOf($"state/{stuck}.json"));
        Assert.All(cluster.Catalog.Ids, id => Assert.NotNull(member.GetOwnership(id)));
        Assert.All(cluster.Ledger.All, activation => Assert.Null(activation.EndedAs));
        await member.DisposeAsync();
    }
}
