using Defender.Mssp.Api.Dashboard.History;
using Defender.Mssp.Grains.State;

namespace Defender.Mssp.Api.Tests.Dashboard;

public sealed class HistoryRingTests
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Reading_gives_every_bucket_of_the_window_oldest_first_aligned_to_the_width_with_empty_ones_included()
    {
        var ring = new HistoryRing(TimeSpan.FromMinutes(1), 60);

        var buckets = ring.Read(Noon.AddSeconds(42));

        Assert.Equal(60, buckets.Count);
        Assert.Equal(Noon.AddMinutes(-59), buckets[0].Start);
        Assert.Equal(Noon, buckets[^1].Start);
        Assert.All(buckets, bucket => Assert.Equal(0, bucket.RecordsDelivered));
        Assert.Equal(TimeSpan.FromMinutes(1), buckets[1].Start - buckets[0].Start);
    }

    [Fact]
    public void Records_and_polls_land_in_the_bucket_their_time_falls_in()
    {
        var ring = new HistoryRing(TimeSpan.FromMinutes(1), 60);

        Assert.True(ring.AddRecords(Noon.AddSeconds(5), 10));
        Assert.True(ring.AddRecords(Noon.AddSeconds(59), 5));
        Assert.True(ring.AddRecords(Noon.AddMinutes(1), 7));
        Assert.True(ring.AddPoll(Noon.AddSeconds(30), PollOutcome.Delivered));
        Assert.True(ring.AddPoll(Noon.AddSeconds(31), PollOutcome.Failed));
        Assert.True(ring.AddPoll(Noon.AddSeconds(32), PollOutcome.Failed));

        var buckets = ring.Read(Noon.AddMinutes(1)).ToDictionary(bucket => bucket.Start);
        Assert.Equal(15, buckets[Noon].RecordsDelivered);
        Assert.Equal(7, buckets[Noon.AddMinutes(1)].RecordsDelivered);
        Assert.Equal(1, buckets[Noon].Polls(PollOutcome.Delivered));
        Assert.Equal(2, buckets[Noon].Polls(PollOutcome.Failed));
        Assert.Equal(0, buckets[Noon].Polls(PollOutcome.NothingNew));
    }

    [Fact]
    public void A_slot_is_reused_when_time_comes_round_to_it_and_what_it_held_is_gone()
    {
        var ring = new HistoryRing(TimeSpan.FromMinutes(1), 3);
        ring.AddRecords(Noon, 100);

        ring.AddRecords(Noon.AddMinutes(3), 1);

        var buckets = ring.Read(Noon.AddMinutes(3));
        Assert.Equal([Noon.AddMinutes(1), Noon.AddMinutes(2), Noon.AddMinutes(3)], buckets.Select(bucket => bucket.Start));
        Assert.Equal([0L, 0L, 1L], buckets.Select(bucket => bucket.RecordsDelivered));
    }

    [Fact]
    public void A_bucket_that_has_left_the_window_is_not_shown_even_before_its_slot_is_reused()
    {
        var ring = new HistoryRing(TimeSpan.FromMinutes(1), 3);
        ring.AddRecords(Noon, 100);

        Assert.Equal(0, ring.Read(Noon.AddMinutes(5)).Sum(bucket => bucket.RecordsDelivered));
    }

    [Fact]
    public void A_time_a_whole_window_behind_the_newest_bucket_is_refused()
    {
        var ring = new HistoryRing(TimeSpan.FromMinutes(1), 3);
        ring.AddRecords(Noon.AddMinutes(10), 1);

        Assert.False(ring.AddRecords(Noon.AddMinutes(7), 50));
        Assert.False(ring.AddPoll(Noon, PollOutcome.Failed));
        Assert.True(ring.AddRecords(Noon.AddMinutes(8), 2));
        Assert.Equal(3, ring.Read(Noon.AddMinutes(10)).Sum(bucket => bucket.RecordsDelivered));
    }

    [Fact]
    public void Buckets_narrower_than_a_minute_align_to_multiples_of_their_width()
    {
        var ring = new HistoryRing(TimeSpan.FromSeconds(5), 12);

        Assert.Equal(Noon.AddSeconds(10), ring.BucketStart(Noon.AddSeconds(14.9)));
        Assert.Equal(Noon.AddSeconds(-55), ring.Read(Noon.AddSeconds(3))[0].Start);
    }
}
