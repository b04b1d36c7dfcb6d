namespace Defender.Simulator.Tests;

/// <summary>A clock the test moves by hand. Timers are not supported (the simulator creates none outside stalls).</summary>
internal sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }

    public void Set(DateTimeOffset to)
    {
        lock (_gate)
        {
            _now = to;
        }
    }
}
