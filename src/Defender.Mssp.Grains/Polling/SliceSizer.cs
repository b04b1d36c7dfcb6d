using Defender.Mssp.Records;

namespace Defender.Mssp.Grains.Polling;

/// <summary>
/// Cuts a source's window into slices of about <see cref="PollingOptions.SliceRecords"/> records, so a backlog is read,
/// delivered and checkpointed a slice at a time and memory holds one slice, not the whole window. Sources answer in no
/// guaranteed order, so a slice must be read whole before its records can be delivered in time order; its length comes
/// from the density of the slice before it. A read that passes <see cref="PollingOptions.SliceRecords"/> × 4 is
/// abandoned and retried on a shorter slice. One per source of a grain, in memory only.
/// </summary>
internal sealed class SliceSizer(PollingOptions options)
{
    /// <summary>How far past the target a read may run before it is abandoned (and the slice cut shorter).</summary>
    public const int AbandonFactor = 4;

    /// <summary>How much longer than the last slice the next may be, so a sparse stretch is crossed in few reads.</summary>
    private const double MaxGrowth = 4;

    /// <summary>No slice is cut shorter than this: a read this short is delivered however many records it holds.</summary>
    public static readonly TimeSpan MinimumSpan = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The first slice of a window when nothing is known yet: an hour, more than one poll's window, so an ordinary
    /// poll is one read, while a day or a week of look-back is approached an hour first (growing fourfold per sparse
    /// slice) instead of with one read that may hold the whole backlog.
    /// </summary>
    public static readonly TimeSpan InitialSpan = TimeSpan.FromHours(1);

    /// <summary>No slice is longer than this, so a sparse tenant's backlog after a long outage is still read in steps.</summary>
    public static readonly TimeSpan MaximumSpan = TimeSpan.FromDays(1);

    private TimeSpan _span = InitialSpan;

    /// <summary>The length of the next slice (less where the window ends first).</summary>
    public TimeSpan Span => _span;

    /// <summary>The next slice of <paramref name="window"/>, from <paramref name="from"/>.</summary>
    public RecordWindow Next(RecordWindow window, DateTimeOffset from) =>
        _span < window.To - from ? new RecordWindow(from, from + _span) : new RecordWindow(from, window.To);

    /// <summary>Whether a read of <paramref name="slice"/> that has produced <paramref name="read"/> records should stop.</summary>
    public bool ShouldAbandon(RecordWindow slice, int read) =>
        read > (long)options.SliceRecords * AbandonFactor && slice.Length > MinimumSpan;

    /// <summary>
    /// A read was abandoned after <paramref name="read"/> records, the latest of them at <paramref name="latest"/>: the
    /// next try is sized to the target at the density read so far, over the part of the slice the read has reached (a
    /// source that answers oldest first, as the SIEM source's window splitting does, has covered only that part).
    /// </summary>
    public void Abandoned(RecordWindow slice, int read, DateTimeOffset latest)
    {
        var covered = latest > slice.From && latest < slice.To ? latest - slice.From : slice.Length;
        _span = Max(Scale(Max(covered, MinimumSpan), read), MinimumSpan);
    }

    /// <summary>
    /// A slice held <paramref name="read"/> records: the next is sized to the target at that density, at most four
    /// times as long and never longer than <see cref="MaximumSpan"/>.
    /// </summary>
    public void Completed(RecordWindow slice, int read)
    {
        // A slice cut short by the window's end says nothing about how long the next may be.
        var basis = _span > slice.Length ? _span : slice.Length;
        var grown = TimeSpan.FromTicks((long)Math.Min(basis.Ticks * MaxGrowth, MaximumSpan.Ticks));
        var scaled = Scale(slice.Length, read);
        _span = Max(scaled < grown ? scaled : grown, MinimumSpan);
    }

    private TimeSpan Scale(TimeSpan length, int read) =>
        TimeSpan.FromTicks((long)Math.Min(
            length.Ticks * ((double)options.SliceRecords / Math.Max(read, 1)), TimeSpan.MaxValue.Ticks / 2.0));

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
