namespace Defender.Mssp.Runtime.Cluster;

/// <summary>One held lease as the renewal scheduler sees it: when its renewal is due and how long it stays valid.</summary>
internal readonly record struct RenewalCandidate<T>(T Item, long DueAt, TimeSpan Remaining);

/// <summary>The leases to renew now, most urgent first, and how long until the next one falls due (null: none).</summary>
internal sealed record RenewalPlan<T>(IReadOnlyList<T> Due, TimeSpan? NextDueIn);

/// <summary>
/// Decides which leases to renew and in what order. Each lease is due one renewal period after its last renewal
/// started, so renewals spread over the period the way the acquisitions did instead of coming as one burst, and a
/// renewal that could not start on time is not pushed a further period back. Due leases go earliest safety deadline
/// first: when storage cannot keep up, the lease closest to being lost is renewed next, whatever the order of the
/// owned-tenant table — a tenant renewed last in one round is not renewed last again.
/// </summary>
internal static class RenewalPlanner
{
    public static RenewalPlan<T> Plan<T>(IEnumerable<RenewalCandidate<T>> candidates, long now, TimeProvider time)
    {
        var due = new List<RenewalCandidate<T>>();
        TimeSpan? next = null;
        foreach (var candidate in candidates)
        {
            if (candidate.DueAt <= now)
            {
                due.Add(candidate);
                continue;
            }

            var until = time.GetElapsedTime(now, candidate.DueAt);
            if (next is null || until < next)
            {
                next = until;
            }
        }

        due.Sort(static (a, b) => a.Remaining != b.Remaining ? a.Remaining.CompareTo(b.Remaining) : a.DueAt.CompareTo(b.DueAt));
        return new RenewalPlan<T>(due.ConvertAll(candidate => candidate.Item), next);
    }

    /// <summary>The timestamp <paramref name="delay"/> after <paramref name="timestamp"/> on <paramref name="time"/>'s clock.</summary>
    public static long After(long timestamp, TimeSpan delay, TimeProvider time) =>
        timestamp + (long)(delay.TotalSeconds * time.TimestampFrequency);

    /// <summary>
    /// How long after its acquisition a lease is first renewed: between half and all of the period, spread by tenant
    /// id, so tenants claimed together (a silo's start, a failover) do not renew together ever after.
    /// </summary>
    public static TimeSpan FirstRenewalDelay(string tenantId, TimeSpan period)
    {
        var spread = (uint)StringComparer.Ordinal.GetHashCode(tenantId) / (double)uint.MaxValue;
        return period * (0.5 + 0.5 * spread);
    }
}
