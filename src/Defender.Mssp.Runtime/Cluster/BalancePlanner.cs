using Defender.Mssp.Tenants;

namespace Defender.Mssp.Runtime.Cluster;

/// <summary>
/// Decides a balancing round, as Azure Event Hubs' processor balances partitions: every silo aims at the fair share
/// ⌈N ÷ S⌉ of the N catalogued tenants among the S live silos, claims unleased tenants until it has that many, and
/// hands over what it owns beyond it. Choices are random so silos balancing at the same moment rarely reach for the
/// same tenants; a collision costs one refused acquire. Because the shares add up to at least N, no tenant stays
/// unowned once the silos agree on S, and no silo ends up owning more than ⌈N ÷ S⌉.
/// </summary>
internal static class BalancePlanner
{
    /// <param name="catalogue">The tenants that should be polled (duplicates by id are ignored).</param>
    /// <param name="owned">What this silo owns and runs, with the settings its activation has.</param>
    /// <param name="busy">Tenants this silo is still stopping; not claimable until their activation has ended.</param>
    /// <param name="leased">Tenants whose state blob is leased (by anyone).</param>
    /// <param name="liveSilos">Live silos, this one included.</param>
    public static BalancePlan Plan(
        IReadOnlyList<TenantSettings> catalogue,
        IReadOnlyDictionary<string, TenantSettings> owned,
        IReadOnlySet<string> busy,
        IReadOnlySet<string> leased,
        int liveSilos,
        Random random)
    {
        var tenants = new Dictionary<string, TenantSettings>(StringComparer.Ordinal);
        foreach (var settings in catalogue)
        {
            tenants.TryAdd(settings.TenantId, settings);
        }

        var fairShare = FairShare(tenants.Count, liveSilos);
        var remove = owned.Keys.Where(id => !tenants.ContainsKey(id)).ToList();
        var kept = owned.Keys.Where(tenants.ContainsKey).ToArray();
        var updates = kept.Where(id => !TenantSettingsEquality.AreEqual(owned[id], tenants[id])).Select(id => tenants[id]).ToList();

        IReadOnlyList<string> release = [];
        if (kept.Length > fairShare)
        {
            random.Shuffle(kept);
            release = kept[..(kept.Length - fairShare)];
        }

        var claimCount = Math.Max(0, fairShare - kept.Length);
        TenantSettings[] candidates = [];
        if (claimCount > 0)
        {
            candidates = tenants.Values
                .Where(t => !owned.ContainsKey(t.TenantId) && !busy.Contains(t.TenantId) && !leased.Contains(t.TenantId))
                .ToArray();
            random.Shuffle(candidates);
        }

        return new BalancePlan(fairShare, claimCount, candidates, release, remove, updates);
    }

    /// <summary>⌈<paramref name="tenants"/> ÷ <paramref name="silos"/>⌉, counting at least this silo.</summary>
    public static int FairShare(int tenants, int silos) => (tenants + Math.Max(1, silos) - 1) / Math.Max(1, silos);
}
