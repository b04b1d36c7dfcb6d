using Defender.Mssp.Grains.Polling;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Grains.Telemetry;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;
using Defender.Mssp.Storage;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Grains;

public sealed partial class TenantGrain
{
    /// <summary>
    /// One turn: polls each configured source in order, delivers its new record versions and moves its checkpoint.
    /// A failing source is recorded in its health and backs off; the others are polled all the same.
    /// </summary>
    /// <exception cref="InconsistentStateException">Storage holds a newer state: the turn ended, nothing more was delivered.</exception>
    /// <exception cref="LeaseLostException">The host lost the tenant's lease: the turn ended, nothing more was delivered.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (or deactivating); no checkpoint passes an undelivered record.</exception>
    /// <exception cref="ObjectDisposedException">The grain is deactivating or deactivated.</exception>
    public async Task<TenantPollResult> PollOnceAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var ct = linked.Token;
        await _turn.WaitAsync(ct).ConfigureAwait(false);
        using var activity = TenantGrainActivities.StartPoll(TenantId);
        try
        {
            ObjectDisposedException.ThrowIf(_deactivated, this);
            if (!_activated || _fenced)
            {
                throw new InvalidOperationException(_fenced
                    ? $"Tenant '{TenantId}' lost ownership of its state; deactivate the grain."
                    : $"Activate the grain of tenant '{TenantId}' before polling.");
            }

            var result = await TurnAsync(ct).ConfigureAwait(false);
            LastResult = result;
            TenantGrainActivities.Completed(activity, result);
            Notify(result);
            return result;
        }
        catch (Exception exception) when (TenantGrainActivities.Failed(activity, exception))
        {
            throw; // Never reached: the filter only records the failure on the span.
        }
        catch (Exception exception) when (exception is InconsistentStateException or LeaseLostException)
        {
            _fenced = true;
            _logger.Fenced(exception, TenantId, exception.GetType().Name);
            throw;
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task<TenantPollResult> TurnAsync(CancellationToken ct)
    {
        var forced = Interlocked.Exchange(ref _pollNowRequested, 0) == 1;
        var settings = _settings;
        var state = _state.State;
        var startedTimestamp = _time.GetTimestamp();
        var turn = new Turn(_time.GetUtcNow());
        state.LastPollStartedAt = turn.StartedAt;
        _unsaved = true;

        // After a failed checkpoint write nothing more is delivered until one succeeds: a crash would otherwise
        // re-deliver everything since the last saved checkpoint, not just one batch.
        if (!settings.Paused && (!_mustSaveBeforeDelivering || await TrySaveAsync(turn, ct).ConfigureAwait(false)))
        {
            ContinueSuccessors(settings);
            var sources = settings.Sources.Distinct(StringComparer.Ordinal).ToList();
            for (var i = 0; i < sources.Count; i++)
            {
                await PollSourceAsync(settings, sources[i], forced, turn, ct).ConfigureAwait(false);
                if (turn.StorageFailure is not null)
                {
                    break;
                }

                // The next source may be slow, or the process may die while reading it: save what this one
                // delivered now, so that a crash then repeats nothing the sink already acknowledged.
                if (i < sources.Count - 1 && turn.Results[^1].Delivered > 0 && !await TrySaveAsync(turn, ct).ConfigureAwait(false))
                {
                    break;
                }
            }
        }

        Summarise(settings, turn);
        // Summarise changed the state after any save made inside the turn.
        _unsaved = true;
        var written = false;
        if (ShouldSave(turn))
        {
            written = await TrySaveAsync(turn, ct).ConfigureAwait(false);
            if (!written)
            {
                Summarise(settings, turn);
            }
        }

        PublishNextPollNotBefore();
        var result = new TenantPollResult(
            TenantId, state.LastOutcome!.Value, state.Health, turn.Results, turn.StartedAt,
            _time.GetElapsedTime(startedTimestamp), written);
        _logger.TurnCompleted(TenantId, result.Outcome, result.Health, result.Delivered, written);
        return result;
    }

    private async Task PollSourceAsync(TenantSettings settings, string name, bool forced, Turn turn, CancellationToken ct)
    {
        var startedTimestamp = _time.GetTimestamp();
        var now = _time.GetUtcNow();
        if (!_services.Sources.TryGetValue(name, out var source))
        {
            // A configuration error, shown in status; the tenant's other sources are polled all the same.
            var unknown = FailureClassifier.UnknownSource(name);
            _logger.UnknownSource(TenantId, name);
            turn.Results.Add(new SourcePollResult(
                name, SourcePollStatus.Failed, 0, unknown.Health, null, unknown.ToError(name, now), _time.GetElapsedTime(startedTimestamp)));
            return;
        }

        var checkpoint = CheckpointOf(name);
        // Poll-now overrides backoff but never a service's Retry-After.
        if (checkpoint.RetryNotBefore > now && (!forced || checkpoint.Health == TenantHealth.Throttled))
        {
            _logger.SourceNotDue(TenantId, name, checkpoint.RetryNotBefore);
            turn.Results.Add(new SourcePollResult(
                name, SourcePollStatus.NotDue, 0, checkpoint.Health, null, null, _time.GetElapsedTime(startedTimestamp),
                checkpoint.Watermark));
            return;
        }

        var progress = new Delivery();
        try
        {
            progress.Window = _planner.NextWindow(checkpoint, settings.InitialLookback, now);
            if (progress.Window is { } window)
            {
                await DeliverWindowAsync(settings, source, checkpoint, window, progress, ct).ConfigureAwait(false);
            }

            checkpoint.Health = TenantHealth.Healthy;
            checkpoint.ConsecutiveFailures = 0;
            checkpoint.RetryNotBefore = null;
            checkpoint.LastSuccessAt = _time.GetUtcNow();
            var status = progress.Delivered > 0 ? SourcePollStatus.Delivered : SourcePollStatus.NothingNew;
            turn.Results.Add(new SourcePollResult(
                name, status, progress.Delivered, checkpoint.Health, progress.Window, null, _time.GetElapsedTime(startedTimestamp),
                checkpoint.Watermark));
        }
        catch (CheckpointWriteFailedException exception)
        {
            // Not the source's fault: its health stays; the tenant shows the storage failure.
            var failure = turn.FailStorage(exception, _time.GetUtcNow());
            _logger.CheckpointWriteFailed(exception.InnerException ?? exception, TenantId);
            turn.Results.Add(new SourcePollResult(
                name, SourcePollStatus.Failed, progress.Delivered, checkpoint.Health, progress.Window, failure,
                _time.GetElapsedTime(startedTimestamp), checkpoint.Watermark));
        }
        catch (Exception exception) when (IsSourceFailure(exception, ct))
        {
            var error = RecordFailure(checkpoint, name, exception is SinkDeliveryFailedException sink
                ? sink.ToFailure()
                : FailureClassifier.Classify(exception));
            _logger.SourceFailed(
                exception, TenantId, name, checkpoint.Health, error.Code, checkpoint.ConsecutiveFailures, checkpoint.RetryNotBefore);
            turn.Results.Add(new SourcePollResult(
                name, SourcePollStatus.Failed, progress.Delivered, checkpoint.Health, progress.Window, error,
                _time.GetElapsedTime(startedTimestamp), checkpoint.Watermark));
        }
        finally
        {
            turn.ObserveTokenExpiry(source.TokenExpiresOn(settings));
        }
    }

    /// <summary>
    /// Reads the window a slice at a time (<see cref="SliceSizer"/>) and delivers each slice's new versions batch by
    /// batch, moving the watermark with every acknowledged batch and saving the checkpoint after each but the window's
    /// last (the turn saves that): a crash re-delivers only the batch the sink had not acknowledged. While a slice is
    /// delivered the next one is read, so the API and the sink work at the same time; memory holds those two slices. A
    /// grain handing its tenant over stops between slices; the next owner goes on from the watermark. A source whose
    /// query is open-ended (<see cref="IRecordSource.BoundedByWindowEnd"/> false) is read in one slice.
    /// </summary>
    private async Task DeliverWindowAsync(
        TenantSettings settings, IRecordSource source, SourceCheckpoint checkpoint, RecordWindow window, Delivery progress,
        CancellationToken ct)
    {
        var sizer = source.BoundedByWindowEnd ? SizerOf(source.Name) : null;
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        (RecordWindow Slice, Task<SliceRead> Read)? next = null;
        try
        {
            var from = window.From;
            while (from < window.To)
            {
                if (_handingOver && from > window.From)
                {
                    _logger.WindowLeftForNextOwner(TenantId, source.Name, from, window.To);
                    return;
                }

                var (slice, pending) = next ?? Read(sizer?.Next(window, from) ?? new RecordWindow(from, window.To), from > window.From);
                next = null;
                var read = await pending.ConfigureAwait(false);
                if (read.Records is not { } records)
                {
                    continue;
                }

                try
                {
                    sizer?.Completed(slice, records.Count);
                    if (sizer is not null && slice.To < window.To && !_handingOver)
                    {
                        // The sizer is the read-ahead's alone until it is awaited: the code below only delivers.
                        next = Read(sizer.Next(window, slice.To), backlog: true);
                    }

                    var fresh = CheckpointPlanner.SelectNew(checkpoint, slice, records);
                    await DeliverSliceAsync(source.Name, checkpoint, fresh, lastOfWindow: slice.To >= window.To, progress, ct)
                        .ConfigureAwait(false);
                    _planner.Complete(checkpoint, slice);
                    _logger.SourcePolled(TenantId, source.Name, fresh.Count, records.Count, slice.From, slice.To);
                    from = slice.To;
                }
                finally
                {
                    read.Release(_services.BacklogSlices);
                }
            }
        }
        finally
        {
            if (next is { } abandoned)
            {
                // Delivery failed or the grain is handing over: the slice read ahead is not needed.
                await reading.CancelAsync().ConfigureAwait(false);
                try
                {
                    (await abandoned.Read.ConfigureAwait(false)).Release(_services.BacklogSlices);
                }
                catch (Exception exception) when (exception is not OutOfMemoryException)
                {
                    // Its outcome no longer matters; the turn reports what ended it.
                }
            }
        }

        (RecordWindow, Task<SliceRead>) Read(RecordWindow slice, bool backlog) =>
            (slice, ReadSliceAsync(settings, source, sizer, slice, backlog, reading.Token));
    }

    private async Task DeliverSliceAsync(
        string source, SourceCheckpoint checkpoint, List<DefenderRecord> fresh, bool lastOfWindow, Delivery progress, CancellationToken ct)
    {
        var remaining = fresh.Count;
        foreach (var batch in _planner.Batches(fresh))
        {
            try
            {
                await _services.Sink.DeliverTracedAsync(TenantId, source, batch, ct).ConfigureAwait(false);
            }
            catch (Exception exception) when (IsSourceFailure(exception, ct))
            {
                throw new SinkDeliveryFailedException(source, exception);
            }

            _planner.MarkDelivered(checkpoint, batch);
            _unsaved = true;
            progress.Delivered += batch.Length;
            remaining -= batch.Length;
            if (remaining > 0 || !lastOfWindow)
            {
                await SaveAsync(ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Reads one slice whole; its records are null when the read ran past the sizer's limit (the sizer cut the slice
    /// shorter). A backlog slice first waits for one of the silo's <see cref="TenantGrainServices.BacklogSlices"/>,
    /// which the caller releases once the slice is delivered.
    /// </summary>
    private async Task<SliceRead> ReadSliceAsync(
        TenantSettings settings, IRecordSource source, SliceSizer? sizer, RecordWindow slice, bool backlog, CancellationToken ct)
    {
        if (backlog)
        {
            await _services.BacklogSlices.WaitAsync(ct).ConfigureAwait(false);
        }

        var read = new List<DefenderRecord>();
        var latest = DateTimeOffset.MinValue;
        try
        {
            await foreach (var record in source.ReadAsync(settings, slice, ct).ConfigureAwait(false))
            {
                read.Add(record);
                if (record.LastUpdateTime > latest)
                {
                    latest = record.LastUpdateTime;
                }

                if (sizer is not null && sizer.ShouldAbandon(slice, read.Count))
                {
                    sizer.Abandoned(slice, read.Count, latest);
                    _logger.SliceAbandoned(TenantId, source.Name, slice.From, slice.To, read.Count);
                    if (backlog)
                    {
                        _services.BacklogSlices.Release();
                    }

                    return new SliceRead(null, HoldsPermit: false);
                }
            }
        }
        catch when (backlog)
        {
            _services.BacklogSlices.Release();
            throw;
        }

        return new SliceRead(read, backlog);
    }

    /// <summary>A slice as read, and whether it holds a backlog permit until it is delivered.</summary>
    private readonly record struct SliceRead(List<DefenderRecord>? Records, bool HoldsPermit)
    {
        public void Release(SemaphoreSlim permits)
        {
            if (HoldsPermit)
            {
                permits.Release();
            }
        }
    }

    private SliceSizer SizerOf(string source)
    {
        _sizers ??= new Dictionary<string, SliceSizer>(StringComparer.Ordinal);
        if (!_sizers.TryGetValue(source, out var sizer))
        {
            sizer = new SliceSizer(_services.Options);
            _sizers[source] = sizer;
        }

        return sizer;
    }

    private TenantError RecordFailure(SourceCheckpoint checkpoint, string name, SourceFailure failure)
    {
        var failedAt = _time.GetUtcNow();
        checkpoint.ConsecutiveFailures++;
        var wait = _schedule.FailureBackoff(checkpoint.ConsecutiveFailures, failure.NeedsOperator);
        if (failure.RetryAfter is { } retryAfter && retryAfter > wait)
        {
            wait = retryAfter;
        }

        checkpoint.RetryNotBefore = failedAt + wait;
        checkpoint.Health = failure.Health;
        checkpoint.LastError = failure.ToError(name, failedAt);
        return checkpoint.LastError;
    }

    /// <summary>Sets the tenant-level status from the sources' state after the turn.</summary>
    private void Summarise(TenantSettings settings, Turn turn)
    {
        var state = _state.State;
        var now = _time.GetUtcNow();
        var configured = settings.Sources.Distinct(StringComparer.Ordinal).ToList();
        var known = configured.Where(_services.Sources.ContainsKey).Select(CheckpointOf).ToList();

        var healths = known.Select(checkpoint => checkpoint.Health)
            .Concat(configured.Where(name => !_services.Sources.ContainsKey(name)).Select(_ => TenantHealth.NeedsOperator));
        if (turn.StorageFailure is not null)
        {
            healths = healths.Append(TenantHealth.Faulted);
        }

        state.Health = settings.Paused ? TenantHealth.Paused : TenantHealthSeverity.Worst(healths);
        state.LastOutcome = Outcome(settings, turn);
        state.LastPollCompletedAt = now;

        var errors = turn.Results.Select(result => result.Error).OfType<TenantError>();
        if (turn.StorageFailure is { } storageError)
        {
            errors = errors.Prepend(storageError);
        }

        if (errors.MaxBy(error => TenantHealthSeverity.Rank(HealthOf(error, turn))) is { } worst)
        {
            state.LastError = worst;
        }

        var failed = turn.StorageFailure is not null || turn.Results.Any(result => result.Status == SourcePollStatus.Failed);
        if (failed && !turn.CountedAsFailure)
        {
            state.ConsecutiveFailures++;
            turn.CountedAsFailure = true;
        }
        else if (!failed && turn.Results.Any(result => result.Status != SourcePollStatus.NotDue))
        {
            state.ConsecutiveFailures = 0;
        }

        state.NextPollNotBefore = known.Count > 0 && known.All(checkpoint => checkpoint.RetryNotBefore > now)
            ? known.Min(checkpoint => checkpoint.RetryNotBefore)
            : null;
        state.TokenExpiresOn = turn.TokenExpiresOn ?? state.TokenExpiresOn;
    }

    private static PollOutcome Outcome(TenantSettings settings, Turn turn)
    {
        if (settings.Paused)
        {
            return PollOutcome.Paused;
        }

        if (turn.StorageFailure is not null)
        {
            return PollOutcome.Failed;
        }

        var attempted = turn.Results.Where(result => result.Status != SourcePollStatus.NotDue).ToList();
        if (turn.Results.Count > 0 && attempted.Count == 0)
        {
            return PollOutcome.Deferred;
        }

        var failed = attempted.Count(result => result.Status == SourcePollStatus.Failed);
        if (failed > 0)
        {
            return failed == attempted.Count ? PollOutcome.Failed : PollOutcome.PartiallyFailed;
        }

        return attempted.Any(result => result.Delivered > 0) ? PollOutcome.Delivered : PollOutcome.NothingNew;
    }

    private static TenantHealth HealthOf(TenantError error, Turn turn) =>
        ReferenceEquals(error, turn.StorageFailure)
            ? TenantHealth.Faulted
            : turn.Results.FirstOrDefault(result => ReferenceEquals(result.Error, error))?.Health ?? TenantHealth.Faulted;

    /// <summary>
    /// Deliveries must be saved (else a restart re-delivers them); failures and status changes are worth their write;
    /// an empty poll is not, unless the saved watermark lags by <see cref="PollingOptions.CheckpointMaxAge"/>.
    /// </summary>
    private bool ShouldSave(Turn turn) =>
        _mustSaveBeforeDelivering
        || turn.Results.Any(result => result.Delivered > 0 || result.Status == SourcePollStatus.Failed)
        || turn.StorageFailure is not null
        || !string.Equals(StatusSignature(_state.State), _savedStatus, StringComparison.Ordinal)
        || CheckpointIsDue();

    private bool CheckpointIsDue()
    {
        foreach (var (name, checkpoint) in _state.State.Sources)
        {
            _savedWatermarks.TryGetValue(name, out var saved);
            if (checkpoint.Watermark is { } watermark && watermark != saved
                && (saved is null || watermark - saved.Value >= _services.Options.CheckpointMaxAge))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<bool> TrySaveAsync(Turn turn, CancellationToken ct)
    {
        try
        {
            await SaveAsync(ct).ConfigureAwait(false);
            return true;
        }
        catch (CheckpointWriteFailedException exception)
        {
            turn.FailStorage(exception, _time.GetUtcNow());
            _logger.CheckpointWriteFailed(exception.InnerException ?? exception, TenantId);
            return false;
        }
    }

    /// <summary>Saves the state; lost ownership and cancellation pass through, anything else is a failed write.</summary>
    private async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            await _state.WriteStateTracedAsync(TenantId, ct).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not (InconsistentStateException or LeaseLostException)
                                          && !(exception is OperationCanceledException && ct.IsCancellationRequested))
        {
            _mustSaveBeforeDelivering = true;
            throw new CheckpointWriteFailedException(exception);
        }

        RememberSaved();
    }

    private static bool IsSourceFailure(Exception exception, CancellationToken ct) =>
        exception is not (InconsistentStateException or LeaseLostException)
        && !(exception is OperationCanceledException && ct.IsCancellationRequested);

    private SourceCheckpoint CheckpointOf(string name)
    {
        if (!_state.State.Sources.TryGetValue(name, out var checkpoint))
        {
            checkpoint = new SourceCheckpoint();
            _state.State.Sources[name] = checkpoint;
        }

        return checkpoint;
    }

    private void Notify(TenantPollResult result)
    {
        foreach (var observer in _services.Observers)
        {
            try
            {
                observer.OnPollCompleted(result);
            }
            catch (Exception exception)
            {
                _logger.ObserverFailed(exception, TenantId);
            }
        }
    }

    private void NotifyDeactivated()
    {
        foreach (var observer in _services.Observers)
        {
            try
            {
                observer.OnDeactivated(TenantId);
            }
            catch (Exception exception)
            {
                _logger.ObserverFailed(exception, TenantId);
            }
        }
    }

    /// <summary>What one turn gathered on its way through the sources.</summary>
    private sealed class Turn(DateTimeOffset startedAt)
    {
        public DateTimeOffset StartedAt { get; } = startedAt;

        public List<SourcePollResult> Results { get; } = [];

        public TenantError? StorageFailure { get; private set; }

        public DateTimeOffset? TokenExpiresOn { get; private set; }

        public bool CountedAsFailure { get; set; }

        public TenantError FailStorage(CheckpointWriteFailedException exception, DateTimeOffset at)
        {
            StorageFailure = FailureClassifier.CheckpointWriteFailed(exception.InnerException ?? exception).ToError(null, at);
            return StorageFailure;
        }

        /// <summary>Keeps the earliest expiry: the token that will need renewing first.</summary>
        public void ObserveTokenExpiry(DateTimeOffset? expiresOn)
        {
            if (expiresOn is { } value && (TokenExpiresOn is null || value < TokenExpiresOn))
            {
                TokenExpiresOn = value;
            }
        }
    }

    /// <summary>How far one source's delivery got, kept outside the try so a failure still reports it.</summary>
    private sealed class Delivery
    {
        public RecordWindow? Window { get; set; }

        public int Delivered { get; set; }
    }
}
