using Defender.Mssp.Grains.State;
using Defender.Mssp.Grains.Tests.Fakes;
using Defender.Mssp.Records;

namespace Defender.Mssp.Grains.Tests;

/// <summary>A backlog read, delivered and checkpointed a slice at a time, with a checkpoint the size of one overlap.</summary>
public sealed class TenantGrainSliceTests
{
    private const int SliceRecords = 100;
    private const int BatchSize = 50;

    private readonly GrainHarness _h = new();

    public TenantGrainSliceTests()
    {
        _h.Options.SliceRecords = SliceRecords;
        _h.Options.MaxBatchSize = BatchSize;
        _h.Incidents.Bounded = true;
    }

    [Fact]
    public async Task A_backlog_is_delivered_once_in_order_holding_one_slice_and_a_checkpoint_of_one_overlap()
    {
        var keys = PublishBacklog(2_000);
        var seenSizes = new List<int>();
        _h.Sink.BeforeAcknowledge = (_, _, _) =>
        {
            seenSizes.Add(_h.SavedCheckpoint()?.Seen.Count ?? 0);
            return Task.CompletedTask;
        };
        var grain = await _h.ActivateAsync();

        var result = await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(keys, _h.Sink.DeliveredKeys());
        Assert.Equal(keys.Count, result.Delivered);
        Assert.Equal(_h.Now - _h.Options.IngestionDelay, _h.SavedCheckpoint()!.Watermark);

        // The first read (the first hour) ran past four slices' worth and was cut shorter; no read after it held more
        // than that, and the last slice ends where the window does.
        Assert.Equal(SliceRecords * 4 + 1, _h.Incidents.Consumed[0]);
        Assert.All(_h.Incidents.Consumed, consumed => Assert.InRange(consumed, 0, SliceRecords * 4 + 1));
        Assert.True(_h.Incidents.Windows.Count > 2_000 / (SliceRecords * 4), $"{_h.Incidents.Windows.Count} reads");
        Assert.Equal(_h.Now - _h.Options.IngestionDelay, _h.Incidents.Windows[^1].To);

        // Records come one every 1.8 s, so an overlap of 5 minutes holds ~167 keys: the stored checkpoint never held
        // much more than that and one batch, where keeping the whole window's keys would have reached ~2,000.
        Assert.InRange(seenSizes.Max(), 1, 167 + BatchSize + 1);
    }

    [Fact]
    public async Task The_next_slice_is_read_while_the_current_one_is_delivered()
    {
        var keys = PublishBacklog(1_000);
        RecordWindow? latestReadDuringFirstDelivery = null;
        _h.Sink.BeforeAcknowledge = (attempt, _, _) =>
        {
            if (attempt == 0)
            {
                latestReadDuringFirstDelivery = _h.Incidents.LastWindow;
            }

            return Task.CompletedTask;
        };
        var grain = await _h.ActivateAsync();

        await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(keys, _h.Sink.DeliveredKeys());
        var firstBatch = _h.Sink.Delivered[0].Records;
        Assert.True(latestReadDuringFirstDelivery!.Value.From > firstBatch[^1].LastUpdateTime,
            $"while delivering up to {firstBatch[^1].LastUpdateTime:O} the latest read was {latestReadDuringFirstDelivery}");
    }

    [Fact]
    public async Task A_sink_failure_ends_the_turn_with_the_slice_read_ahead_discarded_and_nothing_of_it_delivered()
    {
        var keys = PublishBacklog(1_000);
        _h.Sink.BeforeAcknowledge = (attempt, _, _) =>
            attempt == 3 ? Task.FromException(new IOException("disk full")) : Task.CompletedTask;
        var grain = await _h.ActivateAsync();

        var failed = await grain.PollOnceAsync(CancellationToken.None);
        var deliveredBeforeFailure = _h.Sink.DeliveredKeys();
        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(TenantHealth.SinkFailing, failed.Health);
        Assert.Equal(keys.Take(deliveredBeforeFailure.Count), deliveredBeforeFailure);
        Assert.Equal(keys, _h.Sink.DeliveredKeys().Where(key => key.LastUpdateTime < keys[^1].LastUpdateTime + TimeSpan.FromTicks(1)));
    }

    [Fact]
    public async Task Backlog_slices_wait_for_the_silos_permits_and_give_them_all_back()
    {
        _h.Options.MaxConcurrentBacklogSlices = 1;
        var keys = PublishBacklog(1_000);
        var readAhead = new HashSet<RecordWindow>();
        _h.Sink.BeforeAcknowledge = (_, batch, _) =>
        {
            if (_h.Incidents.LastWindow!.Value.From > batch.Records[^1].LastUpdateTime)
            {
                readAhead.Add(_h.Incidents.LastWindow.Value);
            }

            return Task.CompletedTask;
        };
        var grain = await _h.ActivateAsync();

        await grain.PollOnceAsync(CancellationToken.None);

        // The first slice (which needs no permit) is delivered while the second is read with the one permit; that
        // permit is then held until the second is delivered, so no later slice is ever read ahead.
        Assert.Equal(keys, _h.Sink.DeliveredKeys());
        Assert.Single(readAhead);
        Assert.True(_h.Incidents.Windows.Count > 3, $"{_h.Incidents.Windows.Count} reads");
        Assert.Equal(1, _h.Services!.BacklogSlices.CurrentCount);
    }

    [Fact]
    public async Task A_failing_backlog_gives_its_permits_back()
    {
        var keys = PublishBacklog(1_000);
        _h.Sink.BeforeAcknowledge = (attempt, _, _) =>
            attempt == 6 ? Task.FromException(new IOException("disk full")) : Task.CompletedTask;
        var grain = await _h.ActivateAsync();

        var failed = await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(TenantHealth.SinkFailing, failed.Health);
        Assert.Equal(_h.Options.MaxConcurrentBacklogSlices, _h.Services!.BacklogSlices.CurrentCount);
    }

    [Fact]
    public async Task A_crash_in_the_middle_of_a_backlog_repeats_at_most_the_batch_in_flight()
    {
        var keys = PublishBacklog(1_000);
        using var crash = new CancellationTokenSource();
        _h.Sink.BeforeAcknowledge = async (attempt, _, ct) =>
        {
            if (attempt == 9)
            {
                await crash.CancelAsync();
                ct.ThrowIfCancellationRequested();
            }
        };
        var grain = await _h.ActivateAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => grain.PollOnceAsync(crash.Token));
        var lastAcknowledged = _h.Sink.Delivered[^1].Records[^1].LastUpdateTime;
        var readsBeforeCrash = _h.Incidents.Windows.Count;
        _h.Sink.BeforeAcknowledge = null;
        var restarted = await _h.ActivateAsync("silo-b");
        await restarted.PollOnceAsync(CancellationToken.None);

        // The new owner starts an overlap before the last acknowledged record, not at the start of the backlog.
        Assert.Equal(lastAcknowledged - _h.Options.Overlap, _h.Incidents.Windows[readsBeforeCrash].From);
        Assert.Equal(keys, _h.Sink.DeliveredKeys());
    }

    [Fact]
    public async Task A_grain_handing_over_stops_after_its_current_slice_and_the_next_owner_delivers_the_rest()
    {
        var keys = PublishBacklog(1_000);
        var grain = await _h.ActivateAsync();
        Task? deactivation = null;
        _h.Sink.BeforeAcknowledge = (attempt, _, _) =>
        {
            if (attempt == 0)
            {
                deactivation = grain.DeactivateAsync(finishTurnInProgress: true, CancellationToken.None);
            }

            return Task.CompletedTask;
        };

        await grain.PollOnceAsync(CancellationToken.None);
        await deactivation!;
        var deliveredBeforeHandOver = _h.Sink.DeliveredKeys().Count;
        _h.Sink.BeforeAcknowledge = null;
        var next = await _h.ActivateAsync("silo-b");
        await next.PollOnceAsync(CancellationToken.None);

        Assert.InRange(deliveredBeforeHandOver, 1, SliceRecords * 4);
        Assert.Equal(keys, _h.Sink.DeliveredKeys());
        Assert.Equal(_h.Now - _h.Options.IngestionDelay, _h.SavedCheckpoint()!.Watermark);
    }

    [Fact]
    public async Task A_quiet_tenant_reads_each_window_in_one_request()
    {
        _h.Settings = _h.Settings with { InitialLookback = TimeSpan.FromMinutes(30) };
        var t0 = _h.Now;
        _h.Incidents.Publish("a", t0 - TimeSpan.FromMinutes(20));
        var grain = await _h.ActivateAsync();

        await grain.PollOnceAsync(CancellationToken.None);
        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        _h.Incidents.Publish("b", _h.Now - TimeSpan.FromMinutes(2));
        await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(2, _h.Incidents.Windows.Count);
        Assert.Equal(["a", "b"], _h.Sink.DeliveredKeys().Select(key => key.Id));
    }

    [Fact]
    public async Task An_open_ended_source_is_read_whole_whatever_its_size()
    {
        _h.Incidents.Bounded = false;
        var keys = PublishBacklog(1_000);
        var grain = await _h.ActivateAsync();

        await grain.PollOnceAsync(CancellationToken.None);

        Assert.Single(_h.Incidents.Windows);
        Assert.Equal(keys, _h.Sink.DeliveredKeys());
    }

    /// <summary>Records evenly spread over the first poll's window (an hour of look-back), in delivery order.</summary>
    private List<RecordKey> PublishBacklog(int count)
    {
        var from = _h.Now - TimeSpan.FromHours(1);
        var step = TimeSpan.FromHours(1) / count;
        var keys = Enumerable.Range(0, count)
            .Select(i => new RecordKey($"r{i:D4}", from + step * i))
            .ToList();
        foreach (var key in keys)
        {
            _h.Incidents.Publish(key.Id, key.LastUpdateTime);
        }

        // The window ends an ingestion delay before now: the last minute's records are the next poll's.
        return keys.Where(key => key.LastUpdateTime < _h.Now - _h.Options.IngestionDelay).ToList();
    }
}
