using Azure;
using Defender.Mssp.Api.Dashboard.History;

namespace Defender.Mssp.Api.Dashboard.Fleet;

/// <summary>
/// The latest <see cref="FleetSnapshot"/>, shared by every dashboard viewer and the sampler: a caller gets the cached
/// one while it is young enough, otherwise one caller reads the fleet while the others wait for that same read.
/// Every snapshot read is handed to <see cref="FleetHistory"/>.
/// </summary>
public sealed class FleetMonitor(IFleetSource source, FleetHistory history, ILogger<FleetMonitor> logger, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile FleetSnapshot? _latest;

    /// <summary>
    /// A snapshot at most <paramref name="maxAge"/> old. When storage fails and an older snapshot exists, that one is
    /// returned marked stale, so the operator keeps a picture (and is told its age) during an outage.
    /// </summary>
    /// <exception cref="RequestFailedException">Storage failed and there is no earlier snapshot.</exception>
    public async Task<FleetReading> GetAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        if (IsFresh(_latest, maxAge) is { } cached)
        {
            return new FleetReading(cached, Stale: false);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Someone else may have read it while this caller waited.
            if (IsFresh(_latest, maxAge) is { } fresh)
            {
                return new FleetReading(fresh, Stale: false);
            }

            try
            {
                var snapshot = await source.ReadAsync(cancellationToken).ConfigureAwait(false);
                history.Observe(snapshot);
                _latest = snapshot;
                return new FleetReading(snapshot, Stale: false);
            }
            catch (Exception e) when (_latest is { } previous && StorageFailures.IsStorageFailure(e))
            {
                DashboardLog.FleetReadFailed(logger, e, previous.At);
                return new FleetReading(previous, Stale: true);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private FleetSnapshot? IsFresh(FleetSnapshot? snapshot, TimeSpan maxAge) =>
        snapshot is not null && time.GetUtcNow() - snapshot.At <= maxAge ? snapshot : null;
}

/// <summary>A snapshot and whether it is older than asked for because storage could not be read.</summary>
public sealed record FleetReading(FleetSnapshot Snapshot, bool Stale);
