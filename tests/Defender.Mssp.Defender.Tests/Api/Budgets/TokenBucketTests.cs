using Defender.Mssp.Defender.Api.Budgets;

namespace Defender.Mssp.Defender.Tests.Api.Budgets;

/// <summary>The token bucket's arithmetic, in ticks on a clock the test holds.</summary>
public sealed class TokenBucketTests
{
    private static readonly long Start = new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero).UtcTicks;
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>Sends every request at the first instant the bucket allows; returns the send times.</summary>
    private static List<long> SendGreedily(TokenBucket bucket, int count, long from)
    {
        var times = new List<long>();
        var now = from;
        for (var i = 0; i < count; i++)
        {
            now = bucket.ReadyAt(now);
            bucket.Take(now);
            times.Add(now);
        }

        return times;
    }

    private static int MostInAnyWindow(IReadOnlyList<long> times, TimeSpan window)
    {
        // Times are sorted: slide a window [times[first], times[first] + window) over them.
        var most = 0;
        var first = 0;
        for (var last = 0; last < times.Count; last++)
        {
            while (times[last] - times[first] >= window.Ticks)
            {
                first++;
            }

            most = Math.Max(most, last - first + 1);
        }

        return most;
    }

    private static int MostInAnyClockWindow(IReadOnlyList<long> times, TimeSpan window) =>
        times.GroupBy(t => t / window.Ticks).Max(g => g.Count());

    [Fact]
    public void A_full_bucket_lets_its_burst_go_at_once_then_one_request_per_interval()
    {
        var bucket = new TokenBucket(new RateLimit(50, Minute), burstFraction: 0.1, margin: TimeSpan.Zero);

        var times = SendGreedily(bucket, 8, Start);

        Assert.Equal(5, bucket.Capacity);
        Assert.InRange(bucket.Interval.Ticks, Minute.Ticks / 46, Minute.Ticks / 46 + 1); // 45 refills + 1 per minute
        Assert.All(times.Take(5), t => Assert.Equal(Start, t));
        Assert.Equal([1, 2, 3], times.Skip(5).Select(t => (int)((t - Start) / bucket.Interval.Ticks)));
    }

    [Theory]
    [InlineData(50, 0.1, 0)]
    [InlineData(50, 0.5, 0)]
    [InlineData(50, 1.0, 0)]
    [InlineData(1_500, 0.1, 1)]
    [InlineData(10, 0.0, 1)]
    [InlineData(2, 0.1, 0)]
    [InlineData(1, 0.1, 0)]
    public void No_window_of_the_limits_length_ever_holds_more_than_the_limit(int limit, double burst, int marginSeconds)
    {
        var bucket = new TokenBucket(new RateLimit(limit, Minute), burst, TimeSpan.FromSeconds(marginSeconds));

        var times = SendGreedily(bucket, limit * 4, Start + 17 * TimeSpan.TicksPerSecond);

        Assert.InRange(MostInAnyWindow(times, Minute), 1, limit);
        Assert.InRange(MostInAnyClockWindow(times, Minute), 1, limit);
        // Past the burst it keeps up a steady Count − Capacity + 1 per window (plus margin): pacing, not starving.
        var span = (Minute + TimeSpan.FromSeconds(marginSeconds)).Ticks;
        var steady = times.Count(t => t >= times[0] + span && t < times[0] + 3 * span);
        Assert.InRange(steady, 2 * (limit - bucket.Capacity + 1) - 1, 2 * (limit - bucket.Capacity + 1) + 1);
    }

    [Fact]
    public void Requests_landing_up_to_the_margin_late_still_fit_every_clock_window()
    {
        var margin = TimeSpan.FromSeconds(1);
        var bucket = new TokenBucket(new RateLimit(50, Minute), 0.1, margin);
        var recorded = SendGreedily(bucket, 300, Start + 30 * TimeSpan.TicksPerSecond);

        // The worst case: every request of a burst arrives on time, every paced one a full margin late.
        var arrived = recorded.Select((t, i) => i % 2 == 0 ? t : t + margin.Ticks).Order().ToList();

        Assert.InRange(MostInAnyWindow(arrived, Minute), 1, 50);
    }

    [Fact]
    public void A_bucket_refills_to_its_capacity_and_no_further()
    {
        var bucket = new TokenBucket(new RateLimit(10, Minute), 0.5, TimeSpan.Zero);
        SendGreedily(bucket, 5, Start);

        Assert.Equal(0, bucket.Available(Start));
        Assert.False(bucket.IsFull(Start));
        Assert.Equal(1, bucket.Available(Start + bucket.Interval.Ticks));
        Assert.Equal(5, bucket.Available(Start + 100 * bucket.Interval.Ticks));
        Assert.True(bucket.IsFull(Start + 5 * bucket.Interval.Ticks));
    }

    [Fact]
    public void A_returned_token_is_there_again()
    {
        var bucket = new TokenBucket(new RateLimit(10, Minute), 0.2, TimeSpan.Zero);
        SendGreedily(bucket, 2, Start);
        var next = bucket.ReadyAt(Start);
        bucket.Take(next);

        bucket.Return();

        Assert.Equal(next, bucket.ReadyAt(Start));
    }

    [Fact]
    public void A_refusal_leaves_exactly_one_token_at_the_retry_time_then_paces()
    {
        var bucket = new TokenBucket(new RateLimit(50, Minute), 0.1, TimeSpan.Zero);
        SendGreedily(bucket, 1, Start);
        var retryAt = Start + 2 * TimeSpan.TicksPerSecond;

        bucket.Refused(retryAt);

        Assert.Equal(0, bucket.Available(retryAt - 1));
        Assert.Equal(retryAt, bucket.ReadyAt(Start));
        Assert.Equal(1, bucket.Available(retryAt));
        bucket.Take(retryAt);
        Assert.Equal(retryAt + bucket.Interval.Ticks, bucket.ReadyAt(retryAt));
    }

    [Fact]
    public void Back_to_back_refusals_shorter_than_the_interval_still_allow_each_retry_on_time()
    {
        var bucket = new TokenBucket(new RateLimit(1_500, TimeSpan.FromHours(1)), 0.1, TimeSpan.FromSeconds(1));
        var now = Start;
        SendGreedily(bucket, 1, now);

        for (var i = 0; i < 3; i++)
        {
            var retryAt = now + 2 * TimeSpan.TicksPerSecond; // shorter than the bucket's interval of ~2.7 s
            bucket.Refused(retryAt);
            Assert.Equal(retryAt, bucket.ReadyAt(now));
            bucket.Take(retryAt);
            now = retryAt;
        }
    }
}
