using Defender.Mssp.Grains.State;

namespace Defender.Mssp.Api.Dashboard.History;

/// <summary>
/// A fixed number of time buckets (e.g. 60 of a minute each), aligned to multiples of the bucket width since the Unix
/// epoch, counting records delivered and poll outcomes. A bucket's slot is reused when time comes round to it again,
/// so memory never grows and what falls out of the window is gone. Not thread-safe: <see cref="FleetHistory"/> locks.
/// </summary>
public sealed class HistoryRing
{
    private static readonly int OutcomeCount = Enum.GetValues<PollOutcome>().Length;

    private readonly Bucket[] _slots;
    private readonly long _widthTicks;
    private DateTimeOffset _newest = DateTimeOffset.MinValue;

    public HistoryRing(TimeSpan bucketWidth, int bucketCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bucketWidth, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketCount, 1);
        BucketWidth = bucketWidth;
        _widthTicks = bucketWidth.Ticks;
        _slots = new Bucket[bucketCount];
    }

    public TimeSpan BucketWidth { get; }

    public int BucketCount => _slots.Length;

    /// <summary>The start of the bucket <paramref name="at"/> falls in.</summary>
    public DateTimeOffset BucketStart(DateTimeOffset at)
    {
        var ticks = at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return DateTimeOffset.UnixEpoch.AddTicks(ticks - Mod(ticks, _widthTicks));
    }

    /// <summary>Adds delivered records to the bucket of <paramref name="at"/>; false when that bucket has left the window.</summary>
    public bool AddRecords(DateTimeOffset at, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (SlotFor(at) is not { } bucket)
        {
            return false;
        }

        bucket.Records += count;
        return true;
    }

    /// <summary>Counts one completed poll in the bucket of <paramref name="at"/>; false when that bucket has left the window.</summary>
    public bool AddPoll(DateTimeOffset at, PollOutcome outcome)
    {
        if (SlotFor(at) is not { } bucket)
        {
            return false;
        }

        bucket.Polls[(int)outcome]++;
        return true;
    }

    /// <summary>Every bucket of the window that ends with the bucket of <paramref name="now"/>, oldest first, empty ones included.</summary>
    public IReadOnlyList<HistoryBucket> Read(DateTimeOffset now)
    {
        var newest = BucketStart(now);
        var result = new HistoryBucket[_slots.Length];
        for (var i = 0; i < _slots.Length; i++)
        {
            var start = newest.AddTicks(-_widthTicks * (_slots.Length - 1 - i));
            var slot = _slots[SlotIndex(start)];
            result[i] = slot is not null && slot.Start == start
                ? new HistoryBucket(start, slot.Records, (int[])slot.Polls.Clone())
                : new HistoryBucket(start, 0, new int[OutcomeCount]);
        }

        return result;
    }

    /// <summary>
    /// The bucket for <paramref name="at"/>, recycling its slot when it held an older bucket; null when
    /// <paramref name="at"/> lies a whole window or more behind the newest bucket written.
    /// </summary>
    private Bucket? SlotFor(DateTimeOffset at)
    {
        var start = BucketStart(at);
        if (_newest != DateTimeOffset.MinValue && start <= _newest.AddTicks(-_widthTicks * _slots.Length))
        {
            return null;
        }

        if (start > _newest)
        {
            _newest = start;
        }

        var index = SlotIndex(start);
        var slot = _slots[index];
        return slot is not null && slot.Start == start ? slot : _slots[index] = new Bucket(start);
    }

    private int SlotIndex(DateTimeOffset start) =>
        (int)Mod((start.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / _widthTicks, _slots.Length);

    private static long Mod(long value, long modulus) => ((value % modulus) + modulus) % modulus;

    private sealed class Bucket(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; } = start;

        public long Records { get; set; }

        public int[] Polls { get; } = new int[OutcomeCount];
    }
}

/// <summary>One bucket as read: its start, the records delivered in it and its completed polls by <see cref="PollOutcome"/>.</summary>
public sealed record HistoryBucket(DateTimeOffset Start, long RecordsDelivered, IReadOnlyList<int> PollsByOutcome)
{
    public int Polls(PollOutcome outcome) => PollsByOutcome[(int)outcome];
}
