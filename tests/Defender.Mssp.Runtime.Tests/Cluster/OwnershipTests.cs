using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Storage;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Runtime.Tests.Cluster;

/// <summary>
/// How a member keeps and loses ownership: renewals keep every lease, and a refused renewal, an overdue one or a
/// write fenced by storage aborts the activation at once and gives the tenant up without releasing it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class OwnershipTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly ManualTimeProvider _time = new();
    private TestCluster _cluster = null!;
    private ClusterMember _member = null!;

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.CreateAsync(azurite, tenants: 6, _time);
        _member = await _cluster.JoinAsync("a");
        await _member.RunBalancingRoundAsync(Ct);
        Assert.Equal(6, _member.OwnedCount);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Renewing_every_lease_keeps_every_tenant_past_the_first_deadline()
    {
        var options = TestCluster.DrivenOptions("a");

        for (var i = 0; i < 4; i++)
        {
            _time.Advance(options.LeaseRenewalPeriod);
            await _member.RenewLeasesAsync(Ct);
        }

        Assert.True(_time.GetUtcNow() - ManualTimeProvider.DefaultStart > options.LeaseDuration);
        Assert.Equal(6, _member.OwnedCount);
        Assert.All(_cluster.Ledger.All, activation => Assert.Null(activation.EndedAs));
    }

    [Fact]
    public async Task A_broken_lease_aborts_its_activation_at_the_next_renewal_and_another_member_takes_the_tenant()
    {
        var victim = _cluster.Ledger.All[0];
        await _cluster.BreakLeasesAsync([victim.TenantId]);

        await _member.RenewLeasesAsync(Ct);

        Assert.True(victim.Ownership.Lost.IsCancellationRequested);
        Assert.Equal("aborted", victim.EndedAs);
        await WaitForOwnershipCountAsync(5);
        Assert.DoesNotContain(victim.TenantId, _member.OwnedTenantIds);

        var other = await _cluster.JoinAsync("b");
        await other.RunBalancingRoundAsync(Ct);

        Assert.Equal([victim.TenantId], other.OwnedTenantIds);
        Assert.Empty(_cluster.Ledger.Overlaps);
    }

    [Fact]
    public async Task Renewals_failing_until_the_safety_deadline_abort_every_activation_without_releasing()
    {
        _time.Advance(TestCluster.DrivenOptions("a").LeaseValidity);

        await WaitForOwnershipCountAsync(0);
        Assert.All(_cluster.Ledger.All, activation => Assert.Equal("aborted", activation.EndedAs));
        // Not released: the leases may already be someone else's; storage still shows them leased until they expire.
        Assert.Equal(6, (await _cluster.LeasedTenantsAsync()).Count);
    }

    [Fact]
    public async Task A_write_fenced_by_storage_ends_ownership_without_releasing_the_lease()
    {
        var fenced = _cluster.Ledger.All[0];

        fenced.Fail(new LeaseLostException(fenced.TenantId, "fenced"));

        await WaitForOwnershipCountAsync(5);
        Assert.True(fenced.Ownership.Lost.IsCancellationRequested);
        Assert.Contains(fenced.TenantId, await _cluster.LeasedTenantsAsync());
    }

    [Fact]
    public async Task An_activation_that_ends_by_itself_releases_its_lease_and_is_claimed_afresh()
    {
        var crashed = _cluster.Ledger.All[0];

        crashed.Fail(new InvalidOperationException("bug"));
        await WaitForOwnershipCountAsync(5);

        Assert.False(crashed.Ownership.Lost.IsCancellationRequested);
        Assert.DoesNotContain(crashed.TenantId, await _cluster.LeasedTenantsAsync());
        await _member.RunBalancingRoundAsync(Ct);
        Assert.Equal(6, _member.OwnedCount);
        Assert.Equal(2, _cluster.Ledger.All.Count(a => a.TenantId == crashed.TenantId));
    }

    [Fact]
    public async Task A_graceful_stop_whose_save_is_fenced_gives_the_lease_up_instead_of_releasing_it()
    {
        var victim = _cluster.Ledger.All[0];
        await _cluster.BreakLeasesAsync([victim.TenantId]);
        var thief = await TenantLease.TryAcquireAsync(
            _cluster.Container.GetBlobClient($"state/{victim.TenantId}.json"), victim.TenantId,
            TestCluster.DrivenOptions("thief"), _time, Ct);

        await _member.StopAsync(Ct);

        Assert.Equal("fenced", victim.EndedAs);
        Assert.True(victim.Ownership.Lost.IsCancellationRequested);
        // The thief's lease was not released by the deposed member.
        Assert.True(await thief!.RenewAsync(Ct));
        Assert.Equal([victim.TenantId], await _cluster.LeasedTenantsAsync());
    }

    [Fact]
    public async Task The_heartbeat_reports_the_owned_tenant_count()
    {
        await _member.WriteHeartbeatAsync(Ct);

        var entry = Assert.Single(await _member.Membership.ReadAllAsync(Ct));

        Assert.Equal(("a", 6, "test", "http://127.0.0.1/a"),
            (entry.Heartbeat.SiloId, entry.Heartbeat.OwnedTenants, entry.Heartbeat.Version, entry.Heartbeat.Endpoint));
        Assert.Equal(ManualTimeProvider.DefaultStart, entry.Heartbeat.StartedAt);
    }

    // Supervision reacts asynchronously to a loss; it needs no clock, only the continuation to run.
    private async Task WaitForOwnershipCountAsync(int count) =>
        await TestCluster.WaitUntilAsync(() => _member.OwnedCount == count && _member.TrackedCount == count,
            TimeSpan.FromSeconds(10), $"the member owns {count} tenants");
}
