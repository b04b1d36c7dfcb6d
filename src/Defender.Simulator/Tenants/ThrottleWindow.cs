namespace Defender.Simulator.Tenants;

/// <summary>
/// Fixed-window call counters (per clock minute and hour) for one app's calls to one API of a tenant, as the
/// documented "N calls per minute and M per hour" limits read.
/// </summary>
internal sealed class ThrottleWindow
{
    private long _minute = long.MinValue;
    private long _hour = long.MinValue;
    private int _minuteCount;
    private int _hourCount;

    /// <summary>Counts a call; returns how long the caller must wait when a limit is exceeded, else null.</summary>
    public TimeSpan? TryAcquire(DateTimeOffset now, int? perMinute, int? perHour, out string? exceeded)
    {
        var minute = now.UtcTicks / TimeSpan.TicksPerMinute;
        var hour = now.UtcTicks / TimeSpan.TicksPerHour;
        if (minute != _minute)
        {
            _minute = minute;
            _minuteCount = 0;
        }

        if (hour != _hour)
        {
            _hour = hour;
            _hourCount = 0;
        }

        exceeded = null;
        if (perMinute is { } minuteLimit && _minuteCount >= minuteLimit)
        {
            exceeded = $"{minuteLimit} per Minute";
            return TimeSpan.FromTicks((minute + 1) * TimeSpan.TicksPerMinute - now.UtcTicks);
        }

        if (perHour is { } hourLimit && _hourCount >= hourLimit)
        {
            exceeded = $"{hourLimit} per Hour";
            return TimeSpan.FromTicks((hour + 1) * TimeSpan.TicksPerHour - now.UtcTicks);
        }

        _minuteCount++;
        _hourCount++;
        return null;
    }
}
