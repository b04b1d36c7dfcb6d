using Defender.Mssp.Runtime.Telemetry;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Telemetry;

namespace Defender.Mssp.Runtime.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class ClusterMetricsRecordingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_member_counts_acquired_lost_and_released_leases_and_its_running_grains()
    {
        using var meters = new TestMeterFactory();
        using var capture = new MetricCapture(meters);
        await using var cluster = await TestCluster.CreateAsync(azurite, tenants: 4, new ManualTimeProvider());
        cluster.Metrics = new ClusterMetrics(meters);
        var member = await cluster.JoinAsync("a");

        await member.RunBalancingRoundAsync(CancellationToken.None);
        await cluster.BreakLeasesAsync([cluster.Ledger.All[0].TenantId]);
        await member.RenewLeasesAsync(CancellationToken.None);
        await member.StopAsync(CancellationToken.None);

        Assert.Equal(4, capture.Of("defender.leases.acquired").Sum(m => m.Value));
        Assert.Equal(1, capture.Of("defender.leases.lost").Sum(m => m.Value));
        Assert.Equal(3, capture.Of("defender.leases.released").Sum(m => m.Value));
        Assert.Equal(0, capture.Of("defender.grains.active").Sum(m => m.Value));
        Assert.Equal(4, capture.Of("defender.grains.active").Count(m => m.Value > 0));
        Assert.All(capture.Of("defender.leases.acquired"), m => Assert.Equal("a", m.Tag("defender.silo.id")));
    }
}
