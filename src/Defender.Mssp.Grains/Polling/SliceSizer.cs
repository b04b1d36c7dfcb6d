using Defender.Mssp.Records;

namespace Defender.Mssp.Grains.Polling;

/// <summary>
/// Cuts a source's window into slices of about <see cref="PollingOptions.SliceRecords"/> records, so a backlog is read,
/// delivered and checkpointed a slice at a time and memory holds one slice, not the whole window. Sources answer in no
/// guaranteed order, so a slice must be read whole before its records can be delivered in time order; its length comes
/// from the density of the slice before it. A read that passes <see cref="PollingOptions.SliceRecords"/> × 4 is
/// abandoned and retried on a shorter slice. One per source of a grain, in memory only: an idle tenant learns nothing
/// and keeps nothing.
/// </summary>
internal sealed class SliceSizer(PollingOptions options)
{
    /// <summary>How far past the target a read may run before it is abandoned (and the slice cut shorter).</summary>
    public const int AbandonFactor = 4;

    /// <summary>How much longer than the last slice the next may be, so a sparse stretch is crossed in few reads.</summary>
    private const double MaxGrowth = 4;

    /// <summary>No slice is cut shorter than this: a read this short is delivered however many records it holds.</summary>
    public static readonly TimeSpan MinimumSpan = TimeSpan.FromSeconds(1);

    private TimeSpan? _span;

    /// <summary>The learned slice length; null while whole windows fit in one slice.</summary>
    public TimeSpan? Span => _span;

    /// <summary>The next slice of <paramref name="window"/>, from <paramref name="from"/>.</summary>
    public RecordWindow Next(RecordWindow window, DateTimeOffset from) =>
        _span is { } span && span < window.To - from ? new RecordWindow(from, from + span) : new RecordWindow(from, window.To);

    /// <summary>Whether a read of <paramref name="slice"/> that has produced <paramref name="read"/> records should stop.</summary>
    public bool ShouldAbandon(RecordWindow slice, int read) =>
        read > (long)options.SliceRecords * AbandonFactor && slice.Length > MinimumSpan;

    /// <summary>
    /// A read was abandoned after <paramref name="read"/> records: the next try is sized to the target at the density
    /// read so far (under a quarter of the slice, since more than four targets' worth was read).
    /// </summary>
    public void Abandoned(RecordWindow slice, int read) => _span = Max(Scale(slice.Length, read), MinimumSpan);

    /// <summary>
    /// A slice held <paramref name="read"/> records: the next is sized to the target at that density (at most four
    /// times as long). Once a slice would cover the rest of <paramref name="window"/>, nothing is remembered.
    /// </summary>
    public void Completed(RecordWindow window, RecordWindow slice, int read)
    {
        // A slice cut short by the window's end says nothing about how long the next may be.
        var basis = _span is { } span && span > slice.Length ? span : slice.Length;
        var grown = TimeSpan.FromTicks((long)Math.Min(basis.Ticks * MaxGrowth, TimeSpan.MaxValue.Ticks / 2.0));
        var scaled = Scale(slice.Length, read);
        var next = Max(scaled < grown ? scaled : grown, MinimumSpan);
        _span = next >= window.Length ? null : next;
    }

    private TimeSpan Scale(TimeSpan length, int read) =>
        TimeSpan.FromTicks((long)Math.Min(
            length.Ticks * ((double)options.SliceRecords / Math.Max(read, 1)), TimeSpan.MaxValue.Ticks / 2.0));

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
