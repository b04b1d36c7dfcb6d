using Defender.Mssp.Grains.Polling;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Storage;
using Defender.Mssp.Tenants;
using Microsoft.Extensions.Logging;

namespace Defender.Mssp.Grains;

/// <summary>
/// One customer tenant: polls its configured sources on a jittered schedule, delivers new record versions to the sink
/// and keeps the checkpoints that make delivery complete and (but for the last unacknowledged batch) duplicate-free.
/// Turn-based like an Orleans grain: at most one turn runs at a time. Depends only on Core's seams (state, sources,
/// sink, clock), so whatever hosts it — the own runtime today, Orleans later — decides placement and leases.
/// </summary>
/// <remarks>
/// Lifecycle: <see cref="ActivateAsync"/>, then <see cref="RunAsync"/> (the loop) or single <see cref="PollOnceAsync"/>
/// turns, then <see cref="DeactivateAsync"/>. When storage says the grain is no longer the owner
/// (<see cref="InconsistentStateException"/>, <see cref="LeaseLostException"/>) the exception ends the turn and leaves
/// the grain, which never writes again; the host deactivates it.
/// </remarks>
public sealed partial class TenantGrain
{
    private readonly IPersistentState<TenantGrainState> _state;
    private readonly TenantGrainServices _services;
    private readonly string? _siloId;
    private readonly CheckpointPlanner _planner;
    private readonly PollSchedule _schedule;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // The turn: ActivateAsync, each poll and DeactivateAsync hold it, so no two ever interleave.
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly WakeSignal _wake = new();

    private volatile TenantSettings _settings;
    private volatile bool _handingOver;
    private int _pollNowRequested;
    private long _nextPollNotBeforeTicks;

    // Turn-only fields (read and written while holding _turn).
    private bool _activated;
    private bool _deactivated;
    private bool _fenced;
    private bool _unsaved;
    private bool _mustSaveBeforeDelivering;
    private string _savedStatus = "";
    private Dictionary<string, DateTimeOffset?> _savedWatermarks = new(StringComparer.Ordinal);
    private Dictionary<string, SliceSizer>? _sizers;

    /// <param name="settings">The tenant's configuration; replace it later with <see cref="UpdateSettings"/>.</param>
    /// <param name="state">The grain's persisted state (<c>state/{tenantId}.json</c>), read by <see cref="ActivateAsync"/>.</param>
    /// <param name="services">What all grains of the silo share.</param>
    /// <param name="siloId">The hosting silo, recorded as <see cref="TenantGrainState.OwnerSiloId"/>.</param>
    public TenantGrain(
        TenantSettings settings, IPersistentState<TenantGrainState> state, TenantGrainServices services, string? siloId = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _state = state;
        _services = services;
        _siloId = siloId;
        _planner = new CheckpointPlanner(services.Options);
        _schedule = new PollSchedule(services.Options, services.Random);
        _time = services.TimeProvider;
        _logger = services.LoggerFactory.CreateLogger<TenantGrain>();
        TenantId = settings.TenantId;
    }

    public string TenantId { get; }

    /// <summary>The settings the next turn will use.</summary>
    public TenantSettings Settings => _settings;

    /// <summary>The tenant's health after the last turn (or as activated).</summary>
    public TenantHealth Health => _state.State.Health;

    /// <summary>The last completed turn, or null before the first.</summary>
    public TenantPollResult? LastResult { get; private set; }

    /// <summary>Reads the grain's state. Must complete before the first turn.</summary>
    public async Task ActivateAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_deactivated, this);
            await _state.ReadStateAsync(cancellationToken).ConfigureAwait(false);
            RememberSaved();
            if (_siloId is not null)
            {
                // A new owner differs from the saved status, so the first turn records it.
                _state.State.OwnerSiloId = _siloId;
            }

            PublishNextPollNotBefore();
            _activated = true;
            _logger.Activated(TenantId, _siloId, _state.RecordExists);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Replaces the tenant's settings; the next turn uses them. Wakes a paused loop that is now resumed.</summary>
    public void UpdateSettings(TenantSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!string.Equals(settings.TenantId, TenantId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Settings for tenant '{settings.TenantId}' given to the grain of '{TenantId}'.", nameof(settings));
        }

        _settings = settings;
        _wake.Set();
    }

    /// <summary>
    /// Asks for a turn at once: the loop wakes now, and the turn polls every source, including those backing off
    /// after failures (an operator who fixed a credential wants to see it work), except throttled ones.
    /// </summary>
    public void RequestPollNow()
    {
        Interlocked.Exchange(ref _pollNowRequested, 1);
        _wake.Set();
    }

    /// <summary>
    /// Stops the loop and any turn in progress, then saves what the last turns did not (an empty poll's watermark), so
    /// the next owner starts where this one stopped. Writes nothing once storage has said the grain is not the owner.
    /// </summary>
    public Task DeactivateAsync(CancellationToken cancellationToken) => DeactivateAsync(finishTurnInProgress: false, cancellationToken);

    /// <summary>
    /// As <see cref="DeactivateAsync(CancellationToken)"/>; with <paramref name="finishTurnInProgress"/> a turn in
    /// progress is allowed to finish (deliver its window and move its checkpoint) before the loop stops — the hand-over
    /// of a tenant to another silo then repeats no read. If <paramref name="cancellationToken"/> fires first, the turn
    /// is aborted as without it.
    /// </summary>
    /// <remarks>
    /// Race handled: the loop may try to start the next turn while this method holds the turn lock; it then finds the
    /// grain stopping and returns without polling.
    /// </remarks>
    public async Task DeactivateAsync(bool finishTurnInProgress, CancellationToken cancellationToken)
    {
        var holdingTurn = false;
        if (finishTurnInProgress)
        {
            // A turn working through a backlog finishes its current slice, not the whole backlog.
            _handingOver = true;
            try
            {
                await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
                holdingTurn = true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Out of time: abort the turn below.
            }
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (!holdingTurn)
        {
            await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            if (_deactivated)
            {
                return;
            }

            _deactivated = true;
            var saved = false;
            if (_activated && !_fenced && _unsaved)
            {
                try
                {
                    await _state.WriteStateAsync(cancellationToken).ConfigureAwait(false);
                    saved = true;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // Lost ownership or storage down: the next owner re-reads a little more; nothing is lost.
                    _logger.DeactivationWriteFailed(exception, TenantId);
                }
            }

            _logger.Deactivated(TenantId, saved);
            NotifyDeactivated();
        }
        finally
        {
            _turn.Release();
        }
    }

    private void RememberSaved()
    {
        _savedStatus = StatusSignature(_state.State);
        _savedWatermarks = _state.State.Sources.ToDictionary(
            pair => pair.Key, pair => pair.Value.Watermark, StringComparer.Ordinal);
        _unsaved = false;
        _mustSaveBeforeDelivering = false;
    }

    private void PublishNextPollNotBefore() =>
        Volatile.Write(ref _nextPollNotBeforeTicks, _state.State.NextPollNotBefore?.UtcTicks ?? 0);

    private DateTimeOffset? NextPollNotBefore =>
        Volatile.Read(ref _nextPollNotBeforeTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>What an operator would notice changing; an empty poll saves state only when this (or the age) says so.</summary>
    private static string StatusSignature(TenantGrainState state) =>
        string.Join('|',
            state.Health,
            state.OwnerSiloId,
            state.LastError?.Code,
            state.LastError?.Source,
            state.LastError?.Message,
            string.Join(',', state.Sources.OrderBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => pair.Key + ":" + pair.Value.Health)));
}
