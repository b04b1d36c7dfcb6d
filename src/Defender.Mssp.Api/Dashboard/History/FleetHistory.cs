using Defender.Mssp.Api.Dashboard.Fleet;
using Defender.Mssp.Grains.State;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Api.Dashboard.History;

/// <summary>
/// What the fleet did over the last hour, learnt by comparing each <see cref="FleetSnapshot"/> with the one before:
/// records delivered (the growth of each tenant's delivered count, counted when observed), completed polls by outcome
/// (a tenant's last completed poll, counted at its completion time) and each tenant's recent errors. Kept in memory by
/// this API instance, from its start; thread-safe.
/// </summary>
/// <remarks>
/// Polls are seen through the tenants' last-poll fields, so a tenant that completes two polls between two snapshots
/// is counted once: sampling at under half the shortest poll interval (the default) sees every poll.
/// </remarks>
public sealed class FleetHistory
{
    private readonly Lock _lock = new();
    private readonly HistoryRing _ring;
    private readonly Dictionary<string, TenantMark> _marks = new(StringComparer.Ordinal);
    private readonly TimeSpan _window;
    private readonly int _maxErrorsPerTenant;
    private DateTimeOffset? _observingSince;
    private DateTimeOffset? _lastObservation;

    public FleetHistory(IOptions<DashboardOptions> options)
    {
        var value = options.Value;
        _ring = new HistoryRing(value.BucketWidth, value.BucketCount);
        _window = value.HistoryWindow;
        _maxErrorsPerTenant = value.MaxErrorsPerTenant;
    }

    /// <summary>When the first snapshot was observed; null before.</summary>
    public DateTimeOffset? ObservingSince
    {
        get
        {
            lock (_lock)
            {
                return _observingSince;
            }
        }
    }

    /// <summary>Counts what changed since the previous snapshot. Snapshots older than the last one observed are ignored.</summary>
    public void Observe(FleetSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_lock)
        {
            if (snapshot.At < _lastObservation)
            {
                return;
            }

            _observingSince ??= snapshot.At;
            _lastObservation = snapshot.At;
            foreach (var tenant in snapshot.Tenants)
            {
                ObserveTenant(tenant, snapshot.At);
            }

            // A tenant missing from a snapshot keeps its mark for a window, so that coming back (a silo-configured
            // tenant between two leases, say) does not count its whole history again.
            foreach (var gone in _marks.Where(pair => pair.Value.SeenAt < snapshot.At - _window).Select(pair => pair.Key).ToList())
            {
                _marks.Remove(gone);
            }
        }
    }

    /// <summary>The window's buckets, oldest first, ending with the one <paramref name="now"/> falls in.</summary>
    public IReadOnlyList<HistoryBucket> Read(DateTimeOffset now)
    {
        lock (_lock)
        {
            return _ring.Read(now);
        }
    }

    /// <summary>The tenant's recent errors, newest first; empty when none were seen.</summary>
    public IReadOnlyList<ObservedError> ErrorsOf(string tenantId)
    {
        lock (_lock)
        {
            return _marks.GetValueOrDefault(tenantId)?.Errors?.Newest ?? [];
        }
    }

    public TimeSpan BucketWidth => _ring.BucketWidth;

    public TimeSpan Window => _window;

    private void ObserveTenant(FleetTenant tenant, DateTimeOffset at)
    {
        var state = tenant.State;
        var delivered = state?.Sources.Values.Sum(checkpoint => checkpoint.RecordsDelivered) ?? 0;
        if (!_marks.TryGetValue(tenant.TenantId, out var mark))
        {
            // New to the history. What it delivered before counts only if it was onboarded while we watched; otherwise
            // it belongs before the window (or to a silo-configured tenant whose past we cannot date).
            var onboardedSince = tenant.Document is { } document && document.CreatedAt >= _observingSince;
            mark = new TenantMark { RecordsDelivered = onboardedSince ? 0 : delivered };
            _marks[tenant.TenantId] = mark;
        }

        // A count that went down means the state was purged and started again: all of it is new.
        var added = delivered >= mark.RecordsDelivered ? delivered - mark.RecordsDelivered : delivered;
        if (added > 0)
        {
            _ring.AddRecords(at, added);
        }

        mark.RecordsDelivered = delivered;
        mark.SeenAt = at;
        if (state is null)
        {
            return;
        }

        if (state.LastPollCompletedAt is { } completed && state.LastOutcome is { } outcome
            && (mark.LastPollCompletedAt is not { } previous || completed > previous))
        {
            // A silo's clock may run ahead of ours: a poll is never counted in a bucket still to come.
            _ring.AddPoll(completed < at ? completed : at, outcome);
            mark.LastPollCompletedAt = completed;
        }

        foreach (var error in RecordedErrors(state).Where(error => mark.LastErrorAt is not { } last || error.At > last).OrderBy(error => error.At))
        {
            (mark.Errors ??= new RecentErrors(_maxErrorsPerTenant)).Add(error.Code, error.Source, error.At);
            mark.LastErrorAt = error.At;
        }
    }

    /// <summary>The tenant's last error and each source's, once each (the tenant's is also one of its sources').</summary>
    private static IEnumerable<TenantError> RecordedErrors(TenantGrainState state) =>
        state.Sources.Values.Select(checkpoint => checkpoint.LastError)
            .Append(state.LastError)
            .OfType<TenantError>()
            .DistinctBy(error => (error.Code, error.Source, error.At));
}
