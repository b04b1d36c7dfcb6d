namespace Defender.Simulator.Tenants;

/// <summary>One enforced limit: <see cref="Count"/> calls per clock-aligned <see cref="Window"/>.</summary>
internal readonly record struct RateLimit(int Count, TimeSpan Window)
{
    /// <summary>How the limit reads in the 429 message ("50 per Minute").</summary>
    public string Label => Window == TimeSpan.FromMinutes(1) ? $"{Count} per Minute"
        : Window == TimeSpan.FromHours(1) ? $"{Count} per Hour"
        : $"{Count} per {Window.TotalSeconds:0} Seconds";
}

/// <summary>
/// Fixed-window call counters for one caller of one API — an app's calls to a tenant's API, or an app's calls across
/// tenants — as the documented "N calls per minute and M per hour" limits read: windows are aligned to the clock
/// (minute, hour, 10 s from the epoch), and a refused call is not counted.
/// </summary>
internal sealed class ThrottleWindow
{
    private readonly Dictionary<TimeSpan, (long Window, int Count)> _counts = [];

    /// <summary>
    /// Counts a call against every limit; when one is full, counts nothing and returns how long until every full
    /// window has ended, with the limits that were exceeded.
    /// </summary>
    public TimeSpan? TryAcquire(DateTimeOffset now, IReadOnlyList<RateLimit> limits, out string? exceeded)
    {
        exceeded = null;
        TimeSpan? wait = null;
        foreach (var limit in limits)
        {
            var window = now.UtcTicks / limit.Window.Ticks;
            if (_counts.TryGetValue(limit.Window, out var count) && count.Window == window && count.Count >= limit.Count)
            {
                var left = TimeSpan.FromTicks((window + 1) * limit.Window.Ticks - now.UtcTicks);
                wait = wait is { } longest && longest >= left ? longest : left;
                exceeded = exceeded is null ? limit.Label : exceeded + ", " + limit.Label;
            }
        }

        if (wait is not null)
        {
            return wait;
        }

        foreach (var limit in limits)
        {
            var window = now.UtcTicks / limit.Window.Ticks;
            _counts[limit.Window] = _counts.TryGetValue(limit.Window, out var count) && count.Window == window
                ? (window, count.Count + 1)
                : (window, 1);
        }

        return null;
    }

    /// <summary>Whether every window has ended, so the counters can be dropped without changing any answer.</summary>
    public bool IsIdle(DateTimeOffset now) =>
        _counts.All(count => (count.Value.Window + 1) * count.Key.Ticks <= now.UtcTicks);
}
