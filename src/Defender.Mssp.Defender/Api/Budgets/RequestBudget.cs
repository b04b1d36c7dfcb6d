namespace Defender.Mssp.Defender.Api.Budgets;

/// <summary>
/// The buckets of one budget key — a tenant's app on one API, or an app across tenants — behind one lock, plus the
/// pause a 429 imposes. A request takes a token from every bucket at one instant: the latest at which all of them
/// have one, never before the pause ends.
/// </summary>
internal sealed class RequestBudget(IReadOnlyList<TokenBucket> buckets)
{
    private long _pausedUntil;

    /// <summary>Guards the buckets; <see cref="RequestBudgetRegistry"/> takes tenant locks before app locks.</summary>
    public Lock Gate { get; } = new();

    public IReadOnlyList<TokenBucket> Buckets { get; } = buckets;

    /// <summary>Set, under <see cref="Gate"/>, when the registry forgets this budget; a caller holding it looks again.</summary>
    public bool Retired { get; private set; }

    /// <summary>When a 429 lets the next request go (UTC ticks); in the past when not paused.</summary>
    public long PausedUntil => _pausedUntil;

    /// <summary>The earliest time at or after <paramref name="now"/> when every bucket has a token and no pause holds.</summary>
    public long ReadyAt(long now)
    {
        var at = Math.Max(now, _pausedUntil);
        foreach (var bucket in Buckets)
        {
            at = Math.Max(at, bucket.ReadyAt(now));
        }

        return at;
    }

    public void Take(long at)
    {
        foreach (var bucket in Buckets)
        {
            bucket.Take(at);
        }
    }

    public void Return()
    {
        foreach (var bucket in Buckets)
        {
            bucket.Return();
        }
    }

    /// <summary>
    /// A request of this budget got a 429 saying "not before <paramref name="until"/>": nothing goes before then,
    /// and every bucket restarts from a single token at that instant (<see cref="TokenBucket.Refused"/>), since the
    /// service's count was evidently ahead of ours (another process, an earlier run). The retry that waited the
    /// Retry-After out goes exactly then; the other requests follow at the paced rate.
    /// </summary>
    public void Pause(long until)
    {
        _pausedUntil = Math.Max(_pausedUntil, until);
        foreach (var bucket in Buckets)
        {
            bucket.Refused(until);
        }
    }

    /// <summary>Whether the budget is as good as new at <paramref name="now"/>, so forgetting it loses nothing.</summary>
    public bool IsIdle(long now) => _pausedUntil <= now && Buckets.All(bucket => bucket.IsFull(now));

    /// <summary>Marks the budget forgotten; only while it is idle, and only under <see cref="Gate"/>.</summary>
    public void Retire() => Retired = true;
}
