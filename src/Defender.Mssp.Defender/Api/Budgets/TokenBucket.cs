namespace Defender.Mssp.Defender.Api.Budgets;

/// <summary>
/// A token bucket for one <see cref="RateLimit"/>, kept as the generic cell rate algorithm keeps it: one theoretical
/// arrival time instead of a token count, in integer ticks, so the arithmetic is exact.
/// <para>
/// It holds <see cref="Capacity"/> tokens and gains one every <see cref="Interval"/>, chosen so that the burst plus
/// the refill over the limit's window (lengthened by a margin) never exceeds the limit: n requests sent through it
/// span at least (n − Capacity) × Interval, so no window of the limit's length, sliding or aligned to the clock,
/// holds more than the limit even when each request lands up to the margin late.
/// </para>
/// <para>Not thread-safe: <see cref="RequestBudget"/> guards it.</para>
/// </summary>
internal sealed class TokenBucket
{
    private readonly long _tolerance;
    private long _arrival;

    public TokenBucket(RateLimit limit, double burstFraction, TimeSpan margin)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit.Count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit.Window, TimeSpan.Zero);
        Limit = limit;
        // At least one token at once, and at least one left to the refill so the pacing is even, not bursty.
        Capacity = Math.Clamp((int)Math.Round(limit.Count * burstFraction, MidpointRounding.AwayFromZero), 1, Math.Max(1, limit.Count - 1));
        // n ≤ Capacity + span / Interval with span < window + margin, so n ≤ Count when Interval ≥ (window + margin) / (Count − Capacity + 1).
        var span = (limit.Window + margin).Ticks;
        var refills = limit.Count - Capacity + 1;
        Interval = TimeSpan.FromTicks((span + refills - 1) / refills);
        _tolerance = (Capacity - 1) * Interval.Ticks;
    }

    public RateLimit Limit { get; }

    /// <summary>Tokens a full bucket holds: requests that may go at once.</summary>
    public int Capacity { get; }

    /// <summary>How often a token comes back.</summary>
    public TimeSpan Interval { get; }

    /// <summary>The earliest time at or after <paramref name="now"/> (UTC ticks) at which a token is there.</summary>
    public long ReadyAt(long now) => Math.Max(now, _arrival - _tolerance);

    /// <summary>Spends a token for a request sent at <paramref name="at"/> (never before <see cref="ReadyAt"/>).</summary>
    public void Take(long at) => _arrival = Math.Max(_arrival, at) + Interval.Ticks;

    /// <summary>Gives back the token of a request that was not sent after all.</summary>
    public void Return() => _arrival -= Interval.Ticks;

    /// <summary>
    /// The service refused a request and asked for nothing before <paramref name="until"/>. The refused request's
    /// token comes back (the service did not serve it), and the bucket stays empty until then: at that instant one
    /// token is there, for the retry that waited exactly that long, and the next ones come at the usual interval.
    /// </summary>
    public void Refused(long until) => _arrival = Math.Max(_arrival - Interval.Ticks, until + _tolerance);

    /// <summary>Tokens there at <paramref name="now"/>.</summary>
    public int Available(long now)
    {
        var earliest = _arrival - _tolerance;
        return now < earliest ? 0 : (int)Math.Min(Capacity, (now - earliest) / Interval.Ticks + 1);
    }

    /// <summary>Full again: indistinguishable from a new bucket, so it can be forgotten.</summary>
    public bool IsFull(long now) => _arrival <= now;
}
