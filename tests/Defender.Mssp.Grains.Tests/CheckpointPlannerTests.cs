using Defender.Mssp.Grains.Polling;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Grains.Tests.Fakes;
using Defender.Mssp.Records;

namespace Defender.Mssp.Grains.Tests;

public sealed class CheckpointPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lookback = TimeSpan.FromHours(24);

    private readonly PollingOptions _options = new();
    private readonly CheckpointPlanner _planner;

    public CheckpointPlannerTests() => _planner = new CheckpointPlanner(_options);

    [Fact]
    public void First_window_starts_an_overlap_before_the_lookback_and_ends_an_ingestion_delay_before_now()
    {
        var window = _planner.NextWindow(new SourceCheckpoint(), Lookback, Now);

        Assert.Equal(new RecordWindow(Now - Lookback - TimeSpan.FromMinutes(5), Now - TimeSpan.FromMinutes(1)), window);
    }

    [Fact]
    public void Next_window_starts_an_overlap_before_the_watermark()
    {
        var checkpoint = new SourceCheckpoint { Watermark = Now - TimeSpan.FromMinutes(2) };

        var window = _planner.NextWindow(checkpoint, Lookback, Now);

        Assert.Equal(new RecordWindow(Now - TimeSpan.FromMinutes(7), Now - TimeSpan.FromMinutes(1)), window);
    }

    [Fact]
    public void No_window_when_its_start_is_not_before_its_end()
    {
        _options.Overlap = TimeSpan.Zero;
        var checkpoint = new SourceCheckpoint { Watermark = Now - TimeSpan.FromMinutes(1) };

        Assert.Null(_planner.NextWindow(checkpoint, Lookback, Now));
        Assert.Null(_planner.NextWindow(checkpoint, Lookback, Now - TimeSpan.FromSeconds(30)));
        Assert.NotNull(_planner.NextWindow(checkpoint, Lookback, Now + TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void Records_outside_the_window_are_left_for_the_window_that_holds_them()
    {
        var window = new RecordWindow(Now - TimeSpan.FromMinutes(10), Now);
        var read = new[]
        {
            Record("before", window.From - TimeSpan.FromTicks(1)),
            Record("at-start", window.From),
            Record("inside", Now - TimeSpan.FromMinutes(3)),
            Record("at-end", window.To),
        };

        var fresh = CheckpointPlanner.SelectNew(new SourceCheckpoint(), window, read);

        Assert.Equal(["at-start", "inside"], fresh.Select(record => record.Id));
    }

    [Fact]
    public void Seen_keys_and_repeats_within_one_read_are_dropped()
    {
        var window = new RecordWindow(Now - TimeSpan.FromMinutes(10), Now);
        var time = Now - TimeSpan.FromMinutes(4);
        var checkpoint = new SourceCheckpoint { Seen = [new RecordKey("a", time)] };

        var fresh = CheckpointPlanner.SelectNew(checkpoint, window, [Record("a", time), Record("b", time), Record("b", time)]);

        Assert.Equal([new RecordKey("b", time)], fresh.Select(record => record.Key));
    }

    [Fact]
    public void A_newer_version_of_a_seen_id_is_new()
    {
        var window = new RecordWindow(Now - TimeSpan.FromMinutes(10), Now);
        var first = Now - TimeSpan.FromMinutes(8);
        var updated = Now - TimeSpan.FromMinutes(2);
        var checkpoint = new SourceCheckpoint { Seen = [new RecordKey("42", first)] };

        var fresh = CheckpointPlanner.SelectNew(checkpoint, window, [Record("42", first), Record("42", updated)]);

        Assert.Equal([new RecordKey("42", updated)], fresh.Select(record => record.Key));
    }

    [Fact]
    public void New_versions_are_ordered_by_time_then_id()
    {
        var window = new RecordWindow(Now - TimeSpan.FromMinutes(10), Now);
        var early = Now - TimeSpan.FromMinutes(9);
        var late = Now - TimeSpan.FromMinutes(1);

        var fresh = CheckpointPlanner.SelectNew(
            new SourceCheckpoint(), window, [Record("b", late), Record("c", early), Record("a", late), Record("B", late)]);

        Assert.Equal(
            [new RecordKey("c", early), new RecordKey("B", late), new RecordKey("a", late), new RecordKey("b", late)],
            fresh.Select(record => record.Key));
    }

    [Fact]
    public void Batches_hold_at_most_the_maximum_batch_size()
    {
        _options.MaxBatchSize = 2;
        var records = Enumerable.Range(0, 5).Select(i => Record($"r{i}", Now.AddSeconds(i))).ToList();

        var batches = _planner.Batches(records).ToList();

        Assert.Equal([2, 2, 1], batches.Select(batch => batch.Length));
        Assert.Equal(records, batches.SelectMany(batch => batch));
    }

    [Fact]
    public void Marking_a_batch_delivered_adds_its_keys_and_moves_the_watermark_to_its_last_time()
    {
        var checkpoint = new SourceCheckpoint { Watermark = Now - TimeSpan.FromHours(1), RecordsDelivered = 3 };
        var last = Now - TimeSpan.FromMinutes(20);

        _planner.MarkDelivered(checkpoint, [Record("a", last - TimeSpan.FromMinutes(1)), Record("b", last)]);

        Assert.Equal([new RecordKey("a", last - TimeSpan.FromMinutes(1)), new RecordKey("b", last)], checkpoint.Seen);
        Assert.Equal(5, checkpoint.RecordsDelivered);
        Assert.Equal(last, checkpoint.Watermark);
    }

    [Fact]
    public void Marking_batches_delivered_keeps_only_the_keys_an_overlap_before_the_watermark()
    {
        var checkpoint = new SourceCheckpoint();
        var start = Now - TimeSpan.FromHours(5);

        // Four hours of records, one a minute, delivered in batches of ten as a long window is.
        var records = Enumerable.Range(0, 240).Select(i => Record($"r{i:D3}", start + TimeSpan.FromMinutes(i))).ToList();
        var largest = 0;
        foreach (var batch in records.Chunk(10))
        {
            _planner.MarkDelivered(checkpoint, batch);
            largest = Math.Max(largest, checkpoint.Seen.Count);
        }

        // The overlap is five minutes: what a restart may read again is at most six keys (both ends included).
        Assert.Equal(records[^1].LastUpdateTime, checkpoint.Watermark);
        Assert.Equal(["r234", "r235", "r236", "r237", "r238", "r239"], checkpoint.Seen.Select(key => key.Id));
        Assert.True(largest <= 6 + 10, $"the seen set grew to {largest} keys");
        Assert.Equal(240, checkpoint.RecordsDelivered);
    }

    [Fact]
    public void A_batch_older_than_the_watermark_does_not_move_it_back()
    {
        var checkpoint = new SourceCheckpoint { Watermark = Now };

        _planner.MarkDelivered(checkpoint, [Record("late", Now - TimeSpan.FromMinutes(3))]);

        Assert.Equal(Now, checkpoint.Watermark);
        Assert.Equal(["late"], checkpoint.Seen.Select(key => key.Id));
    }

    [Fact]
    public void Completing_a_window_moves_the_watermark_to_its_end_and_forgets_keys_before_the_next_window()
    {
        var window = new RecordWindow(Now - TimeSpan.FromMinutes(30), Now);
        var nextStart = Now - _options.Overlap;
        var checkpoint = new SourceCheckpoint
        {
            Seen =
            [
                new RecordKey("old", nextStart - TimeSpan.FromTicks(1)),
                new RecordKey("edge", nextStart),
                new RecordKey("recent", Now - TimeSpan.FromMinutes(1)),
            ],
        };

        _planner.Complete(checkpoint, window);

        Assert.Equal(Now, checkpoint.Watermark);
        Assert.Equal(["edge", "recent"], checkpoint.Seen.Select(key => key.Id));
        Assert.Equal(nextStart, _planner.NextWindow(checkpoint, Lookback, Now + TimeSpan.FromMinutes(10))!.Value.From);
    }

    [Fact]
    public void The_watermark_never_moves_back_when_the_clock_does()
    {
        var checkpoint = new SourceCheckpoint { Watermark = Now };

        _planner.Complete(checkpoint, new RecordWindow(Now - TimeSpan.FromMinutes(6), Now - TimeSpan.FromMinutes(2)));

        Assert.Equal(Now, checkpoint.Watermark);
    }

    private static DefenderRecord Record(string id, DateTimeOffset time) => ScriptedRecordSource.ToRecord(id, time);
}
