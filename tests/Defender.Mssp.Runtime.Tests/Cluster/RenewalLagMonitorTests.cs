using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Runtime.Tests.Cluster;

public sealed class RenewalLagMonitorTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void A_renewal_half_a_period_late_counts_as_late_and_one_started_sooner_does_not()
    {
        var monitor = new RenewalLagMonitor(Period, _time);

        Assert.False(monitor.Record(TimeSpan.Zero));
        Assert.False(monitor.Record(Period / 2 - TimeSpan.FromMilliseconds(1)));
        Assert.True(monitor.Record(Period / 2));
    }

    [Fact]
    public void Nothing_is_reported_while_renewals_start_on_time()
    {
        var monitor = new RenewalLagMonitor(Period, _time);
        _time.Advance(Period * 3);

        monitor.Record(TimeSpan.FromSeconds(1));

        Assert.Null(monitor.TakeReport());
    }

    [Fact]
    public void Late_renewals_are_reported_together_at_most_once_per_period()
    {
        var monitor = new RenewalLagMonitor(Period, _time);
        _time.Advance(Period);

        monitor.Record(TimeSpan.FromSeconds(6));
        monitor.Record(TimeSpan.FromSeconds(9));
        var first = monitor.TakeReport();
        monitor.Record(TimeSpan.FromSeconds(7));
        var tooSoon = monitor.TakeReport();
        _time.Advance(Period);
        var next = monitor.TakeReport();

        Assert.Equal((2, TimeSpan.FromSeconds(9)), (first!.Late, first.WorstLag));
        Assert.Null(tooSoon);
        Assert.Equal((1, TimeSpan.FromSeconds(7)), (next!.Late, next.WorstLag));
        Assert.Null(monitor.TakeReport());
    }
}
