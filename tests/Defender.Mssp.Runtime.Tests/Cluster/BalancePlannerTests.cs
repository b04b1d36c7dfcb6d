using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Runtime.Tests.Cluster;

public sealed class BalancePlannerTests
{
    private static readonly HashSet<string> None = [];

    [Theory]
    [InlineData(60, 3, 20)]
    [InlineData(61, 3, 21)]
    [InlineData(60, 4, 15)]
    [InlineData(1000, 3, 334)]
    [InlineData(5, 10, 1)]
    [InlineData(0, 3, 0)]
    [InlineData(7, 0, 7)]
    public void The_fair_share_is_the_ceiling_of_tenants_over_live_silos(int tenants, int silos, int share) =>
        Assert.Equal(share, BalancePlanner.FairShare(tenants, silos));

    [Fact]
    public void A_silo_below_its_share_claims_only_unleased_tenants_it_is_not_still_stopping()
    {
        var catalogue = Tenants(10);
        var owned = Owned(catalogue, 0, 1);
        HashSet<string> busy = ["tenant-0002"];
        HashSet<string> leased = ["tenant-0000", "tenant-0001", "tenant-0003", "tenant-0004"];

        var plan = BalancePlanner.Plan(catalogue, owned, busy, leased, liveSilos: 2, new Random(1));

        Assert.Equal(5, plan.FairShare);
        Assert.Equal(3, plan.ClaimCount);
        Assert.Equal(["tenant-0005", "tenant-0006", "tenant-0007", "tenant-0008", "tenant-0009"],
            plan.ClaimCandidates.Select(t => t.TenantId).Order());
        Assert.Empty(plan.Release);
    }

    [Fact]
    public void Claim_candidates_come_in_random_order()
    {
        var catalogue = Tenants(50);

        var orders = Enumerable.Range(0, 5)
            .Select(seed => string.Join(',', BalancePlanner.Plan(catalogue, Owned(catalogue), None, None, 1, new Random(seed))
                .ClaimCandidates.Select(t => t.TenantId)))
            .ToHashSet();

        Assert.True(orders.Count > 1);
    }

    [Fact]
    public void A_silo_above_its_share_releases_exactly_its_surplus_and_claims_nothing()
    {
        var catalogue = Tenants(60);
        var owned = Owned(catalogue, Enumerable.Range(0, 30).ToArray());

        var plan = BalancePlanner.Plan(catalogue, owned, None, None, liveSilos: 3, new Random(1));

        Assert.Equal(10, plan.Release.Count);
        Assert.All(plan.Release, id => Assert.Contains(id, owned.Keys));
        Assert.Equal(10, plan.Release.Distinct().Count());
        Assert.Equal(0, plan.ClaimCount);
        Assert.Empty(plan.ClaimCandidates);
    }

    [Fact]
    public void Owned_tenants_gone_from_the_catalogue_are_removed_and_do_not_count_towards_the_share()
    {
        var catalogue = Tenants(4);
        var owned = Owned(catalogue, 0, 1);
        owned["tenant-9999"] = new TenantSettings { TenantId = "tenant-9999", ClientId = "c" };

        var plan = BalancePlanner.Plan(catalogue, owned, None, None, liveSilos: 1, new Random(1));

        Assert.Equal(["tenant-9999"], plan.Remove);
        Assert.Equal(2, plan.ClaimCount);
        Assert.Empty(plan.Release);
    }

    [Fact]
    public void Only_settings_that_changed_by_value_are_updated()
    {
        var catalogue = Tenants(3);
        var owned = Owned(catalogue, 0, 1, 2);
        var fresh = catalogue.Select(t => t with { Sources = t.Sources.ToList() }).ToList();
        fresh[1] = fresh[1] with { Paused = true };

        var plan = BalancePlanner.Plan(fresh, owned, None, None, liveSilos: 1, new Random(1));

        Assert.Equal(["tenant-0001"], plan.Updates.Select(t => t.TenantId));
        Assert.True(plan.Updates[0].Paused);
    }

    [Fact]
    public void Duplicate_tenant_ids_in_the_catalogue_count_once()
    {
        var catalogue = Tenants(2).Concat(Tenants(2)).ToList();

        var plan = BalancePlanner.Plan(catalogue, Owned(catalogue), None, None, liveSilos: 1, new Random(1));

        Assert.Equal(2, plan.FairShare);
        Assert.Equal(2, plan.ClaimCandidates.Count);
    }

    private static List<TenantSettings> Tenants(int count) =>
        Enumerable.Range(0, count).Select(ListCatalog.Tenant).ToList();

    private static Dictionary<string, TenantSettings> Owned(IReadOnlyList<TenantSettings> catalogue, params int[] indexes) =>
        indexes.Select(i => catalogue[i]).ToDictionary(t => t.TenantId, StringComparer.Ordinal);
}
