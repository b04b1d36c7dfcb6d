using Defender.Mssp.Runtime.Telemetry;
using Defender.Mssp.TestKit.Telemetry;

namespace Defender.Mssp.Runtime.Tests.Telemetry;

public sealed class ClusterMetricsTests
{
    [Fact]
    public void Lease_and_grain_transitions_are_counted_per_silo()
    {
        using var meters = new TestMeterFactory();
        using var capture = new MetricCapture(meters);
        var metrics = new ClusterMetrics(meters);

        metrics.LeaseAcquired("silo-a");
        metrics.GrainActivated("silo-a");
        metrics.LeaseAcquired("silo-a");
        metrics.GrainActivated("silo-a");
        metrics.GrainDeactivated("silo-a");
        metrics.LeaseLost("silo-a");
        metrics.GrainDeactivated("silo-a");
        metrics.LeaseReleased("silo-a");

        Assert.Equal(2, capture.Of("defender.leases.acquired").Sum(m => m.Value));
        Assert.Equal(1, capture.Of("defender.leases.lost").Sum(m => m.Value));
        Assert.Equal(1, capture.Of("defender.leases.released").Sum(m => m.Value));
        Assert.Equal([1d, 1d, -1d, -1d], capture.Of("defender.grains.active").Select(m => m.Value));
        Assert.All(capture.Instruments.Values.Where(instrument => instrument.Name != "defender.leases.renewal.lag"),
            instrument => Assert.StartsWith("{", instrument.Unit));
        Assert.All(["defender.leases.acquired", "defender.leases.lost", "defender.leases.released", "defender.grains.active"],
            name => Assert.All(capture.Of(name), m => Assert.Equal("silo-a", m.Tag("defender.silo.id"))));
    }

    [Fact]
    public void Every_renewal_lag_is_recorded_in_seconds_and_only_late_ones_are_counted_late()
    {
        using var meters = new TestMeterFactory();
        using var capture = new MetricCapture(meters);
        var metrics = new ClusterMetrics(meters);

        metrics.RenewalStarted("silo-a", TimeSpan.FromMilliseconds(250), late: false);
        metrics.RenewalStarted("silo-a", TimeSpan.FromSeconds(7), late: true);

        Assert.Equal([0.25, 7d], capture.Of("defender.leases.renewal.lag").Select(m => m.Value));
        Assert.Equal("s", capture.UnitOf("defender.leases.renewal.lag"));
        Assert.Equal(1, capture.Of("defender.leases.renewals.late").Sum(m => m.Value));
        Assert.Equal("{renewal}", capture.UnitOf("defender.leases.renewals.late"));
        Assert.All(capture.Of("defender.leases.renewal.lag"), m => Assert.Equal("silo-a", m.Tag("defender.silo.id")));
    }
}
