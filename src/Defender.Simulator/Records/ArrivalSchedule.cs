namespace Defender.Simulator.Records;

/// <summary>
/// When records of one stream arrive: time is cut into one-minute buckets counted from an origin, and each bucket's
/// arrivals (count, seeds, times) are a pure function of (stream seed, bucket index). Nothing depends on when or how
/// often the schedule is read, which is what makes generation lazy and restart-proof.
/// </summary>
internal sealed class ArrivalSchedule(ulong streamSeed, DateTimeOffset origin, double perMinute)
{
    public static readonly TimeSpan BucketLength = TimeSpan.FromMinutes(1);

    public DateTimeOffset Origin { get; } = origin;

    /// <summary>The bucket holding <paramref name="time"/>; negative before the origin.</summary>
    public long BucketAt(DateTimeOffset time) => (long)Math.Floor((time - Origin).Ticks / (double)BucketLength.Ticks);

    /// <summary>The arrivals of one bucket, in time order.</summary>
    public Arrival[] Arrivals(long bucket)
    {
        var bucketSeed = DeterministicRandom.Derive(streamSeed, (ulong)bucket);
        var random = new DeterministicRandom(bucketSeed);
        var count = random.NextPoisson(perMinute * BucketLength.TotalMinutes);
        var start = Origin + BucketLength * bucket;
        var arrivals = new Arrival[count];
        for (var i = 0; i < count; i++)
        {
            arrivals[i] = new Arrival(
                DeterministicRandom.Derive(bucketSeed, (ulong)i + 1),
                start + TimeSpan.FromTicks(random.NextInt64(0, BucketLength.Ticks)));
        }

        Array.Sort(arrivals, static (a, b) => a.Time.CompareTo(b.Time));
        return arrivals;
    }
}

/// <summary>One record's arrival: its own seed and its time.</summary>
internal readonly record struct Arrival(ulong Seed, DateTimeOffset Time);
