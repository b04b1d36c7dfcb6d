using Defender.Mssp.Grains.State;
using Defender.Mssp.Grains.Tests.Fakes;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;

namespace Defender.Mssp.Grains.Tests;

/// <summary>Windows, de-duplication and checkpoints, turn by turn under a manual clock.</summary>
public sealed class TenantGrainCheckpointTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly GrainHarness _h = new();

    [Fact]
    public async Task First_poll_reads_the_initial_lookback_less_the_overlap_up_to_the_ingestion_delay()
    {
        var grain = await _h.ActivateAsync();

        await grain.PollOnceAsync(CancellationToken.None);

        var t0 = _h.Now;
        Assert.Equal([new RecordWindow(t0 - TimeSpan.FromHours(1) - 5 * Minute, t0 - Minute)], _h.Incidents.Windows);
        Assert.Equal(t0 - Minute, _h.SavedCheckpoint()!.Watermark);
    }

    [Fact]
    public async Task New_records_are_delivered_once_in_time_order_and_those_beyond_the_window_on_the_next_poll()
    {
        var t0 = _h.Now;
        _h.Incidents.Publish("old", t0 - TimeSpan.FromHours(2));
        _h.Incidents.Publish("b", t0 - 30 * Minute);
        _h.Incidents.Publish("a", t0 - 50 * Minute);
        _h.Incidents.Publish("fresh", t0 - TimeSpan.FromSeconds(30));
        var grain = await _h.ActivateAsync();

        var first = await grain.PollOnceAsync(CancellationToken.None);
        _h.Clock.Advance(Minute);
        await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(PollOutcome.Delivered, first.Outcome);
        Assert.Equal(
            [new RecordKey("a", t0 - 50 * Minute), new RecordKey("b", t0 - 30 * Minute), new RecordKey("fresh", t0 - TimeSpan.FromSeconds(30))],
            _h.Sink.DeliveredKeys());
        Assert.All(_h.Sink.Delivered, batch => Assert.Equal((GrainHarness.TenantId, DefenderSources.Incidents), (batch.TenantId, batch.Source)));
        Assert.Equal(3, _h.SavedCheckpoint()!.RecordsDelivered);
    }

    [Fact]
    public async Task Records_sharing_a_timestamp_or_sitting_on_the_watermark_are_neither_lost_nor_duplicated()
    {
        var t0 = _h.Now;
        var watermark = t0 - Minute;
        var shared = watermark - TimeSpan.FromSeconds(10);
        _h.Incidents.Publish("s1", shared);
        _h.Incidents.Publish("s2", shared);
        _h.Incidents.Publish("s3", shared, visibleAt: t0 + TimeSpan.FromSeconds(30));
        _h.Incidents.Publish("w1", watermark);
        _h.Incidents.Publish("w2", watermark);
        var grain = await _h.ActivateAsync();

        await grain.PollOnceAsync(CancellationToken.None);
        var afterFirst = _h.Sink.DeliveredKeys().Select(key => key.Id).ToList();
        for (var poll = 0; poll < 3; poll++)
        {
            _h.Clock.Advance(Minute);
            await grain.PollOnceAsync(CancellationToken.None);
        }

        Assert.Equal(["s1", "s2"], afterFirst);
        Assert.Equal(["s1", "s2", "s3", "w1", "w2"], _h.Sink.DeliveredKeys().Select(key => key.Id));
    }

    [Fact]
    public async Task A_record_that_becomes_visible_late_but_within_the_overlap_is_delivered()
    {
        var t0 = _h.Now;
        _h.Incidents.Publish("late", t0 - 3 * Minute, visibleAt: t0 + 2 * Minute);
        var grain = await _h.ActivateAsync();

        await grain.PollOnceAsync(CancellationToken.None);
        _h.Clock.Advance(Minute);
        await grain.PollOnceAsync(CancellationToken.None);
        Assert.Empty(_h.Sink.Delivered);

        _h.Clock.Advance(Minute);
        await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal([new RecordKey("late", t0 - 3 * Minute)], _h.Sink.DeliveredKeys());
        Assert.True(_h.Incidents.Windows[^2].To > t0 - 3 * Minute, "an earlier window had already passed the record's time");
    }

    [Fact]
    public async Task An_updated_incident_is_delivered_as_a_new_version_and_its_old_version_not_again()
    {
        _h.Incidents.ServeAllVersions = true;
        var t0 = _h.Now;
        _h.Incidents.Publish("42", t0 - 4 * Minute);
        var grain = await _h.ActivateAsync();
        await grain.PollOnceAsync(CancellationToken.None);

        _h.Clock.Advance(Minute);
        _h.Incidents.Publish("42", t0 - TimeSpan.FromSeconds(20));
        await grain.PollOnceAsync(CancellationToken.None);
        _h.Clock.Advance(Minute);
        await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(
            [new RecordKey("42", t0 - 4 * Minute), new RecordKey("42", t0 - TimeSpan.FromSeconds(20))],
            _h.Sink.DeliveredKeys());
        // Every poll was served the old version again; only the first delivered it.
        Assert.Equal(3, _h.Incidents.Windows.Count(window => window.Contains(t0 - 4 * Minute)));
    }

    [Fact]
    public async Task An_empty_poll_writes_no_state()
    {
        var grain = await _h.ActivateAsync();
        await grain.PollOnceAsync(CancellationToken.None);
        var writes = _h.Storage.Writes;
        var saved = _h.SavedCheckpoint()!.Watermark;

        _h.Clock.Advance(Minute);
        var result = await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(PollOutcome.NothingNew, result.Outcome);
        Assert.False(result.StateWritten);
        Assert.Equal(writes, _h.Storage.Writes);
        Assert.Equal(saved, _h.SavedCheckpoint()!.Watermark);
        Assert.Equal(2, _h.Incidents.Reads);
    }

    [Fact]
    public async Task Empty_polls_save_the_checkpoint_once_the_saved_one_lags_by_its_maximum_age()
    {
        var grain = await _h.ActivateAsync();
        await grain.PollOnceAsync(CancellationToken.None);
        var firstWatermark = _h.SavedCheckpoint()!.Watermark!.Value;
        var written = new List<bool>();

        for (var poll = 1; poll <= 12; poll++)
        {
            _h.Clock.Advance(Minute);
            written.Add((await grain.PollOnceAsync(CancellationToken.None)).StateWritten);
        }

        // CheckpointMaxAge is 10 minutes: the 10th empty poll is the first whose watermark is 10 minutes ahead.
        Assert.Equal(Enumerable.Range(1, 12).Select(poll => poll == 10), written);
        Assert.Equal(firstWatermark + 10 * Minute, _h.SavedCheckpoint()!.Watermark);
    }

    [Fact]
    public async Task The_seen_set_keeps_only_keys_inside_the_overlap()
    {
        var t0 = _h.Now;
        foreach (var minutesAgo in new[] { 40, 20, 9, 7, 4, 2 })
        {
            _h.Incidents.Publish($"r{minutesAgo}", t0 - minutesAgo * Minute);
        }

        var grain = await _h.ActivateAsync();
        await grain.PollOnceAsync(CancellationToken.None);

        // Watermark t0 − 1 min, overlap 5 min: keys from t0 − 6 min on may be served again and are kept.
        Assert.Equal(["r4", "r2"], _h.SavedCheckpoint()!.Seen.Select(key => key.Id));
        Assert.Equal(6, _h.SavedCheckpoint()!.RecordsDelivered);
    }

    [Fact]
    public async Task Checkpoint_is_written_only_after_the_sink_acknowledges()
    {
        var t0 = _h.Now;
        _h.Options.MaxBatchSize = 2;
        for (var i = 0; i < 5; i++)
        {
            _h.Incidents.Publish($"r{i}", t0 - (30 - i) * Minute);
        }

        var storedDuringDelivery = new List<SourceCheckpoint?>();
        _h.Sink.BeforeAcknowledge = (_, _, _) =>
        {
            storedDuringDelivery.Add(_h.SavedCheckpoint());
            return Task.CompletedTask;
        };
        var grain = await _h.ActivateAsync();

        await grain.PollOnceAsync(CancellationToken.None);

        var batches = _h.Sink.Delivered.Select(batch => batch.Keys).ToList();
        Assert.Equal([2, 2, 1], batches.Select(batch => batch.Count));
        Assert.Null(storedDuringDelivery[0]);
        for (var i = 1; i < batches.Count; i++)
        {
            // While batch i is in flight, storage holds exactly the batches before it (all inside one overlap of the
            // last), and the watermark is the last acknowledged record's time: nothing at or after it is assumed delivered.
            Assert.Equal(batches.Take(i).SelectMany(keys => keys), storedDuringDelivery[i]!.Seen);
            Assert.Equal(batches[i - 1][^1].LastUpdateTime, storedDuringDelivery[i]!.Watermark);
        }

        Assert.Equal(t0 - Minute, _h.SavedCheckpoint()!.Watermark);
    }

    [Fact]
    public async Task A_batch_the_sink_refuses_moves_no_checkpoint_and_is_delivered_again_with_the_same_keys()
    {
        var t0 = _h.Now;
        _h.Incidents.Publish("a", t0 - 10 * Minute);
        _h.Incidents.Publish("b", t0 - 9 * Minute);
        _h.Sink.BeforeAcknowledge = (attempt, _, _) =>
            attempt == 0 ? Task.FromException(new IOException("SIEM endpoint unreachable")) : Task.CompletedTask;
        var grain = await _h.ActivateAsync();

        var failed = await grain.PollOnceAsync(CancellationToken.None);
        var afterFailure = _h.SavedCheckpoint()!;
        _h.Clock.Advance(Minute);
        await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(PollOutcome.Failed, failed.Outcome);
        Assert.Equal(TenantHealth.SinkFailing, afterFailure.Health);
        Assert.Null(afterFailure.Watermark);
        Assert.Empty(afterFailure.Seen);
        Assert.Equal(_h.Sink.Attempted[0].Keys, _h.Sink.DeliveredKeys());
        Assert.Equal(_h.Now - Minute, _h.SavedCheckpoint()!.Watermark);
    }

    [Fact]
    public async Task A_crash_while_a_batch_is_in_flight_delivers_only_the_unacknowledged_batches_after_restart()
    {
        var keys = PublishSeven();
        _h.Options.MaxBatchSize = 2;
        using var crash = new CancellationTokenSource();
        _h.Sink.BeforeAcknowledge = async (attempt, _, ct) =>
        {
            if (attempt == 1)
            {
                await crash.CancelAsync();
                ct.ThrowIfCancellationRequested();
            }
        };
        var grain = await _h.ActivateAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => grain.PollOnceAsync(crash.Token));
        _h.Sink.BeforeAcknowledge = null;
        var restarted = await _h.ActivateAsync("silo-b");
        await restarted.PollOnceAsync(CancellationToken.None);

        Assert.Equal(keys, _h.Sink.DeliveredKeys());
        Assert.Equal("silo-b", _h.Saved!.OwnerSiloId);
    }

    [Fact]
    public async Task A_crash_after_an_acknowledgement_but_before_its_checkpoint_repeats_only_that_batch()
    {
        var keys = PublishSeven();
        _h.Options.MaxBatchSize = 2;
        using var crash = new CancellationTokenSource();
        // The save after the second batch never happens: the process "dies" on its way to storage.
        _h.Storage.FailWrite = attempt =>
        {
            if (attempt != 2)
            {
                return null;
            }

            crash.Cancel();
            return new OperationCanceledException(crash.Token);
        };
        var grain = await _h.ActivateAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => grain.PollOnceAsync(crash.Token));
        var lastAcknowledgedBeforeCrash = _h.Sink.Delivered[^1].Keys;
        _h.Storage.FailWrite = null;
        var restarted = await _h.ActivateAsync("silo-b");
        await restarted.PollOnceAsync(CancellationToken.None);

        var delivered = _h.Sink.DeliveredKeys();
        Assert.Equal(keys, delivered.Distinct().OrderBy(key => key.LastUpdateTime));
        var duplicates = delivered.GroupBy(key => key).Where(group => group.Count() > 1).Select(group => group.Key);
        Assert.Equal(lastAcknowledgedBeforeCrash, duplicates);
    }

    [Fact]
    public async Task A_crash_while_reading_the_next_source_repeats_nothing_the_previous_source_delivered()
    {
        var keys = PublishSeven();
        _h.Settings = _h.Settings with { Sources = [DefenderSources.Incidents, DefenderSources.Siem] };
        using var crash = new CancellationTokenSource();
        // The process dies while the second source is being read, after the first source's single batch was acknowledged.
        _h.Siem.OnRead = async (_, ct) =>
        {
            await crash.CancelAsync();
            ct.ThrowIfCancellationRequested();
        };
        var grain = await _h.ActivateAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => grain.PollOnceAsync(crash.Token));
        _h.Siem.OnRead = null;
        var restarted = await _h.ActivateAsync("silo-b");
        await restarted.PollOnceAsync(CancellationToken.None);

        Assert.Equal(keys, _h.Sink.DeliveredKeys(DefenderSources.Incidents));
    }

    [Fact]
    public async Task Deactivating_to_hand_over_lets_the_turn_in_progress_finish_and_saves_its_checkpoint()
    {
        var keys = PublishSeven();
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _h.Incidents.OnRead = async (_, _) =>
        {
            reading.TrySetResult();
            await release.Task;
        };
        var grain = await _h.ActivateAsync();
        var turn = grain.PollOnceAsync(CancellationToken.None);
        await reading.Task;

        var deactivation = grain.DeactivateAsync(finishTurnInProgress: true, CancellationToken.None);
        Assert.False(deactivation.IsCompleted);
        release.SetResult();
        await turn;
        await deactivation;

        Assert.Equal(keys, _h.Sink.DeliveredKeys());
        Assert.Equal(_h.Now - _h.Options.IngestionDelay, _h.SavedCheckpoint()!.Watermark);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => grain.PollOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Cancelling_a_turn_saves_nothing_past_undelivered_records()
    {
        PublishSeven();
        _h.Options.MaxBatchSize = 2;
        using var cancel = new CancellationTokenSource();
        _h.Sink.BeforeAcknowledge = async (attempt, _, ct) =>
        {
            if (attempt == 1)
            {
                await cancel.CancelAsync();
                ct.ThrowIfCancellationRequested();
            }
        };
        var grain = await _h.ActivateAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => grain.PollOnceAsync(cancel.Token));
        await grain.DeactivateAsync(CancellationToken.None);

        var saved = _h.SavedCheckpoint()!;
        Assert.Equal(_h.Sink.Delivered[0].Keys[^1].LastUpdateTime, saved.Watermark);
        Assert.Equal(_h.Sink.Delivered[0].Keys, saved.Seen);
    }

    [Fact]
    public async Task Deactivation_saves_the_watermark_an_empty_poll_did_not()
    {
        var grain = await _h.ActivateAsync();
        await grain.PollOnceAsync(CancellationToken.None);
        _h.Clock.Advance(3 * Minute);
        await grain.PollOnceAsync(CancellationToken.None);
        Assert.Equal(_h.Now - 4 * Minute, _h.SavedCheckpoint()!.Watermark);

        await grain.DeactivateAsync(CancellationToken.None);

        Assert.Equal(_h.Now - Minute, _h.SavedCheckpoint()!.Watermark);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => grain.PollOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_reactivated_grain_resumes_from_the_saved_checkpoint()
    {
        var t0 = _h.Now;
        _h.Incidents.Publish("before", t0 - 10 * Minute);
        var grain = await _h.ActivateAsync();
        await grain.PollOnceAsync(CancellationToken.None);
        await grain.DeactivateAsync(CancellationToken.None);

        _h.Clock.Advance(5 * Minute);
        _h.Incidents.Publish("after", t0 + 2 * Minute);
        var next = await _h.ActivateAsync("silo-b");
        await next.PollOnceAsync(CancellationToken.None);

        Assert.Equal(["before", "after"], _h.Sink.DeliveredKeys().Select(key => key.Id));
        Assert.Equal(new RecordWindow(t0 - Minute - 5 * Minute, _h.Now - Minute), _h.Incidents.Windows[^1]);
    }

    [Fact]
    public async Task Turns_never_overlap()
    {
        _h.Incidents.Publish("a", _h.Now - 10 * Minute);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _h.Sink.BeforeAcknowledge = async (attempt, _, _) =>
        {
            if (attempt == 0)
            {
                entered.SetResult();
                await release.Task;
            }
        };
        var grain = await _h.ActivateAsync();

        var first = grain.PollOnceAsync(CancellationToken.None);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var second = grain.PollOnceAsync(CancellationToken.None);

        Assert.False(second.IsCompleted);
        Assert.Equal(1, _h.Incidents.Reads);
        release.SetResult();
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, _h.Incidents.Reads);
    }

    /// <summary>Seven records in the first window; returns their keys in delivery order.</summary>
    private List<RecordKey> PublishSeven()
    {
        var t0 = _h.Now;
        var keys = new List<RecordKey>();
        for (var i = 0; i < 7; i++)
        {
            var key = new RecordKey($"r{i}", t0 - (40 - i) * Minute);
            _h.Incidents.Publish(key.Id, key.LastUpdateTime);
            keys.Add(key);
        }

        return keys;
    }
}
