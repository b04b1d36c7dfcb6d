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
        Assert.All(capture.Instruments.Values, instrument => Assert.StartsWith("{", instrument.Unit));
        Assert.All(["defender.leases.acquired", "defender.leases.lost", "defender.leases.released", "defender.grains.active"],
            name => Assert.All(capture.Of(name), m => Assert.Equal("silo-a", m.Tag("defender.silo.id"))));
    }
}
