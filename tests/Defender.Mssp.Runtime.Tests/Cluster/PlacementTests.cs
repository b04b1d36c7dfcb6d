using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Runtime.Tests.Cluster;

/// <summary>
/// Placement and balance with several members sharing one Azurite container, their rounds driven by the test: the
/// fair share is reached from any start, joiners get work, leavers hand over, the dead are taken over — and no tenant
/// ever runs in two places at once.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PlacementTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly ManualTimeProvider _time = new();
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.CreateAsync(azurite, tenants: 60, _time);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Three_members_end_up_with_twenty_of_sixty_tenants_each_in_a_few_rounds()
    {
        var members = await JoinAsync("a", "b", "c");

        var rounds = await _cluster.ConvergeAsync(members);

        Assert.InRange(rounds, 1, 3);
        Assert.All(members, member => Assert.InRange(member.OwnedCount, 19, 21));
        await AssertEachTenantOwnedOnceAsync(members);
    }

    [Fact]
    public async Task A_greedy_first_member_hands_its_surplus_to_members_that_join_later()
    {
        var first = await _cluster.JoinAsync("a");
        await _cluster.ConvergeAsync(first);
        Assert.Equal(60, first.OwnedCount);
        var later = await JoinAsync("b", "c");

        var rounds = await _cluster.ConvergeAsync([first, .. later]);

        Assert.InRange(rounds, 1, 4);
        Assert.All(new[] { first }.Concat(later), member => Assert.Equal(20, member.OwnedCount));
        // The hand-over was graceful: each of a's surplus activations saved its state under its lease before b or c started.
        var handedOver = _cluster.Ledger.Of("a").Where(a => a.EndedAs is not null).ToList();
        Assert.Equal(40, handedOver.Count);
        Assert.All(handedOver, activation => Assert.Equal("stopped", activation.EndedAs));
        var successor = _cluster.Ledger.Running(handedOver[0].TenantId)!;
        Assert.Equal(("a", 1), (successor.State.State.SavedBy, successor.State.State.Saves));
        await AssertEachTenantOwnedOnceAsync([first, .. later]);
    }

    [Fact]
    public async Task A_fourth_member_joining_gets_its_fair_share()
    {
        var members = await JoinAsync("a", "b", "c");
        await _cluster.ConvergeAsync(members);

        var fourth = await _cluster.JoinAsync("d");
        var rounds = await _cluster.ConvergeAsync([.. members, fourth]);

        Assert.InRange(rounds, 1, 4);
        Assert.Equal(15, fourth.OwnedCount);
        Assert.All(members, member => Assert.Equal(15, member.OwnedCount));
        await AssertEachTenantOwnedOnceAsync([.. members, fourth]);
    }

    [Fact]
    public async Task A_member_stopping_gracefully_persists_releases_and_leaves_so_the_others_take_over_in_one_round()
    {
        var members = await JoinAsync("a", "b", "c");
        await _cluster.ConvergeAsync(members);
        var leaving = members[2];
        var itsTenants = leaving.OwnedTenantIds.ToList();

        await leaving.StopAsync(CancellationToken.None);

        Assert.Equal(0, leaving.OwnedCount);
        Assert.DoesNotContain(await _cluster.Members[0].Membership.ReadAllAsync(CancellationToken.None), e => e.Heartbeat.SiloId == "c");
        Assert.Empty((await _cluster.LeasedTenantsAsync()).Intersect(itsTenants));
        Assert.All(_cluster.Ledger.Of("c"), activation => Assert.Equal("stopped", activation.EndedAs));

        foreach (var member in members[..2])
        {
            await member.RunBalancingRoundAsync(CancellationToken.None);
        }

        Assert.All(members[..2], member => Assert.Equal(30, member.OwnedCount));
        Assert.All(itsTenants, id => Assert.Equal("c", _cluster.Ledger.Running(id)!.State.State.SavedBy));
        await AssertEachTenantOwnedOnceAsync(members[..2]);
    }

    [Fact]
    public async Task A_dead_member_keeps_its_tenants_until_its_leases_expire_and_is_then_taken_over()
    {
        var members = await JoinAsync("a", "b", "c");
        await _cluster.ConvergeAsync(members);
        var dead = members[2];
        var itsTenants = dead.OwnedTenantIds.ToList();

        await dead.AbandonAsync();
        foreach (var member in members[..2])
        {
            await member.RunBalancingRoundAsync(CancellationToken.None);
        }

        Assert.All(members[..2], member => Assert.Equal(20, member.OwnedCount));
        Assert.All(_cluster.Ledger.Of("c"), activation => Assert.Equal("aborted", activation.EndedAs));
        Assert.Equal(itsTenants.Order(), (await _cluster.LeasedTenantsAsync()).Intersect(itsTenants).Order());

        // Time passes: the dead member's heartbeat goes stale, its leases expire (a break stands in for expiry,
        // which Azurite will not make shorter than 15 s). The survivors keep heartbeating and renewing.
        _time.Advance(TimeSpan.FromSeconds(21));
        foreach (var member in members[..2])
        {
            await member.WriteHeartbeatAsync(CancellationToken.None);
            await member.RenewLeasesAsync(CancellationToken.None);
        }

        await _cluster.BreakLeasesAsync(itsTenants);
        var rounds = await _cluster.ConvergeAsync(members[..2]);

        Assert.InRange(rounds, 1, 2);
        Assert.All(members[..2], member => Assert.Equal(30, member.OwnedCount));
        Assert.DoesNotContain(await members[0].Membership.ReadAllAsync(CancellationToken.None), e => e.Heartbeat.SiloId == "c");
        await AssertEachTenantOwnedOnceAsync(members[..2]);
    }

    [Fact]
    public async Task Tenants_removed_from_the_catalogue_are_stopped_and_released_and_new_ones_claimed()
    {
        var members = await JoinAsync("a", "b");
        await _cluster.ConvergeAsync(members);
        var removed = _cluster.Catalog.Ids.Take(10).ToList();

        _cluster.Catalog.Set(Enumerable.Range(10, 60).Select(ListCatalog.Tenant));
        await _cluster.ConvergeAsync(members);

        Assert.All(removed, id => Assert.Equal("stopped", _cluster.Ledger.All.Single(a => a.TenantId == id).EndedAs));
        Assert.Empty((await _cluster.LeasedTenantsAsync()).Intersect(removed));
        Assert.All(members, member => Assert.Equal(30, member.OwnedCount));
        await AssertEachTenantOwnedOnceAsync(members);
    }

    [Fact]
    public async Task Changed_settings_reach_the_running_activation_and_unchanged_ones_do_not()
    {
        var member = await _cluster.JoinAsync("a");
        await _cluster.ConvergeAsync(member);

        await member.RunBalancingRoundAsync(CancellationToken.None);
        Assert.All(_cluster.Ledger.All, activation => Assert.Empty(activation.Updates));
        _cluster.Catalog.Update(t => t.TenantId == "tenant-0007" ? t with { Paused = true } : t);
        await member.RunBalancingRoundAsync(CancellationToken.None);

        var updated = Assert.Single(_cluster.Ledger.All, activation => activation.Updates.Count > 0);
        Assert.Equal("tenant-0007", updated.TenantId);
        Assert.True(updated.Settings.Paused);
    }

    [Fact]
    public async Task A_failed_activation_releases_its_lease_and_the_member_claims_others_instead()
    {
        var member = await _cluster.JoinAsync("a");
        _cluster.Catalog.Set(Enumerable.Range(0, 4).Select(ListCatalog.Tenant));
        _cluster.Activators["a"].Failing.Add("tenant-0002");

        await member.RunBalancingRoundAsync(CancellationToken.None);

        Assert.Equal(["tenant-0000", "tenant-0001", "tenant-0003"], member.OwnedTenantIds.Order());
        Assert.DoesNotContain("tenant-0002", await _cluster.LeasedTenantsAsync());
    }

    private async Task<ClusterMember[]> JoinAsync(params string[] siloIds)
    {
        var members = new List<ClusterMember>();
        foreach (var id in siloIds)
        {
            members.Add(await _cluster.JoinAsync(id));
        }

        return [.. members];
    }

    /// <summary>Every catalogued tenant owned by exactly one member, leased in storage, and never run twice at once.</summary>
    private async Task AssertEachTenantOwnedOnceAsync(IEnumerable<ClusterMember> members)
    {
        var owned = members.SelectMany(member => member.OwnedTenantIds).ToList();
        Assert.Equal(_cluster.Catalog.Ids.Order(), owned.Order());
        Assert.Equal(_cluster.Catalog.Ids.Order(), (await _cluster.LeasedTenantsAsync()).Order());
        Assert.Empty(_cluster.Ledger.Overlaps);
    }
}
