using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Runtime.Tests.Cluster;

/// <summary>
/// Members running their own heartbeat, renewal and balancing loops on the real clock against Azurite, with short
/// intervals and Azure's shortest lease. Bounds are generous; what is asserted is the outcome, never the timing.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterLoopTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Running_members_converge_hand_over_on_a_graceful_stop_and_leave_nothing_behind()
    {
        await using var cluster = await TestCluster.CreateAsync(azurite, tenants: 30, TimeProvider.System);
        var a = await cluster.StartAsync("a");
        var b = await cluster.StartAsync("b");
        var c = await cluster.StartAsync("c");

        await TestCluster.WaitUntilAsync(() => new[] { a, b, c }.All(m => m.OwnedCount == 10), Generous, "each member owns 10");
        await c.StopAsync(CancellationToken.None);
        await TestCluster.WaitUntilAsync(() => a.OwnedCount == 15 && b.OwnedCount == 15, Generous, "the other two own 15 each");
        await Task.WhenAll(a.StopAsync(CancellationToken.None), b.StopAsync(CancellationToken.None));

        Assert.Empty(await cluster.LeasedTenantsAsync());
        Assert.Empty(await a.Membership.ReadAllAsync(CancellationToken.None));
        Assert.Empty(cluster.Ledger.Overlaps);
        Assert.All(cluster.Ledger.All, activation => Assert.Equal("stopped", activation.EndedAs));
    }

    [Fact]
    public async Task A_member_that_dies_keeps_its_tenants_until_its_leases_really_expire_then_the_survivor_takes_them()
    {
        await using var cluster = await TestCluster.CreateAsync(azurite, tenants: 10, TimeProvider.System);
        var survivor = await cluster.StartAsync("survivor");
        var dying = await cluster.StartAsync("dying");
        await TestCluster.WaitUntilAsync(() => survivor.OwnedCount == 5 && dying.OwnedCount == 5, Generous, "each owns 5");
        var orphans = dying.OwnedTenantIds.ToList();

        await dying.AbandonAsync();
        // Several balancing rounds later the leases are still the dead member's: nothing may be taken yet.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(5, survivor.OwnedCount);
        Assert.Equal(orphans.Order(), (await cluster.LeasedTenantsAsync()).Intersect(orphans).Order());

        await TestCluster.WaitUntilAsync(() => survivor.OwnedCount == 10, Generous, "the survivor owns all 10");

        Assert.Empty(cluster.Ledger.Overlaps);
        // The survivor renewed its own leases all along (the test outlived a lease): none of its activations was aborted.
        // (If it started alone it owned all ten first and handed five over gracefully: those end "stopped".)
        Assert.All(cluster.Ledger.Of("survivor"), activation => Assert.NotEqual("aborted", activation.EndedAs));
        Assert.All(cluster.Ledger.Of("survivor"), activation => Assert.NotEqual("failed", activation.EndedAs));
        await survivor.StopAsync(CancellationToken.None);
    }
}
