namespace Defender.Mssp.Runtime.Cluster;

/// <summary>Late renewals seen since the last report: how many, the worst lag, over how long.</summary>
internal sealed record RenewalBacklog(int Late, TimeSpan WorstLag, TimeSpan Window);

/// <summary>
/// Notices renewals falling behind: a renewal that starts half a period or more after it was due means storage (or
/// the concurrency limit) no longer keeps up with the owned leases, well before any is lost (that takes
/// <see cref="ClusterOptions.LeaseValidity"/> − period of lag). Reports at most once per period, so a silo that stays
/// behind logs one warning per period, not one per lease. Thread-safe: renewals record concurrently.
/// </summary>
internal sealed class RenewalLagMonitor(TimeSpan period, TimeProvider time)
{
    private readonly Lock _gate = new();
    private long _windowStart = time.GetTimestamp();
    private int _late;
    private TimeSpan _worst;

    /// <summary>A renewal starting this long after it was due counts as late.</summary>
    public TimeSpan LateAfter { get; } = period / 2;

    /// <summary>Records one renewal's lag; true when it counts as late.</summary>
    public bool Record(TimeSpan lag)
    {
        if (lag < LateAfter)
        {
            return false;
        }

        lock (_gate)
        {
            _late++;
            if (lag > _worst)
            {
                _worst = lag;
            }
        }

        return true;
    }

    /// <summary>The late renewals since the last report, once a period has passed since it; otherwise null.</summary>
    public RenewalBacklog? TakeReport()
    {
        lock (_gate)
        {
            var window = time.GetElapsedTime(_windowStart);
            if (_late == 0 || window < period)
            {
                return null;
            }

            var report = new RenewalBacklog(_late, _worst, window);
            _late = 0;
            _worst = TimeSpan.Zero;
            _windowStart = time.GetTimestamp();
            return report;
        }
    }
}
