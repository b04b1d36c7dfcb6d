using Defender.Mssp.Grains.State;
using Defender.Mssp.Records;

namespace Defender.Mssp.Grains.Polling;

/// <summary>
/// The pure checkpoint rules of one source: which window to query, which of the records read are new versions, and
/// how the checkpoint moves once they are delivered. No I/O and no clock of its own, so every rule is testable.
/// </summary>
internal sealed class CheckpointPlanner(PollingOptions options)
{
    /// <summary>
    /// [(watermark, or now − look-back on the first poll) − overlap, now − ingestion delay), or null when that is
    /// empty (the source was polled too recently, or the clock stepped back): the source is skipped this turn.
    /// </summary>
    public RecordWindow? NextWindow(SourceCheckpoint checkpoint, TimeSpan initialLookback, DateTimeOffset now)
    {
        var to = now - options.IngestionDelay;
        var from = (checkpoint.Watermark ?? now - initialLookback) - options.Overlap;
        return from < to ? new RecordWindow(from, to) : null;
    }

    /// <summary>
    /// The record versions in <paramref name="read"/> that lie in the window and were not delivered before, each once,
    /// ordered by (last-update time, id). A newer last-update time for a delivered id is a new version: the SIEM
    /// upserts by id. Records outside the window are left for the window that contains them.
    /// </summary>
    public static List<DefenderRecord> SelectNew(SourceCheckpoint checkpoint, RecordWindow window, IEnumerable<DefenderRecord> read)
    {
        // Sized once: a slice holds thousands of records, and every doubling of a set that size is garbage.
        var count = read.TryGetNonEnumeratedCount(out var n) ? n : 0;
        var known = new HashSet<RecordKey>(checkpoint.Seen.Count + count);
        known.UnionWith(checkpoint.Seen);
        var fresh = new List<DefenderRecord>(count);
        foreach (var record in read)
        {
            if (window.Contains(record.LastUpdateTime) && known.Add(record.Key))
            {
                fresh.Add(record);
            }
        }

        fresh.Sort(static (a, b) =>
        {
            var byTime = a.LastUpdateTime.CompareTo(b.LastUpdateTime);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return fresh;
    }

    /// <summary>Splits the new versions into sink deliveries of at most <see cref="PollingOptions.MaxBatchSize"/>.</summary>
    public IEnumerable<DefenderRecord[]> Batches(IEnumerable<DefenderRecord> fresh) => fresh.Chunk(options.MaxBatchSize);

    /// <summary>
    /// Records an acknowledged batch of <see cref="SelectNew"/>'s output for a window that was read whole. New versions
    /// are delivered in (time, id) order, so every new version of the window before the batch's last time has now been
    /// delivered: the watermark moves to that time (never backwards) and keys older than an overlap before it are
    /// forgotten. The checkpoint then stays the size of one overlap however long the window, and a restart re-reads
    /// from the last delivered time less the overlap, skipping exactly what was acknowledged.
    /// </summary>
    public void MarkDelivered(SourceCheckpoint checkpoint, IReadOnlyList<DefenderRecord> batch)
    {
        foreach (var record in batch)
        {
            checkpoint.Seen.Add(record.Key);
        }

        checkpoint.RecordsDelivered += batch.Count;
        if (batch.Count > 0)
        {
            MoveWatermark(checkpoint, batch[^1].LastUpdateTime);
        }
    }

    /// <summary>
    /// The whole window (or slice) is delivered: the watermark moves to its end (never backwards, should the clock step
    /// back) and keys older than the next window's start are forgotten, since no later query can return them.
    /// </summary>
    public void Complete(SourceCheckpoint checkpoint, RecordWindow window) => MoveWatermark(checkpoint, window.To);

    private void MoveWatermark(SourceCheckpoint checkpoint, DateTimeOffset to)
    {
        if (checkpoint.Watermark is { } current && current >= to)
        {
            return;
        }

        checkpoint.Watermark = to;
        var keepFrom = to - options.Overlap;
        checkpoint.Seen.RemoveAll(key => key.LastUpdateTime < keepFrom);
    }
}
