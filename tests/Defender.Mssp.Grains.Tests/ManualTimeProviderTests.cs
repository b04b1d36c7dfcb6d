using Defender.Mssp.TestKit;

namespace Defender.Mssp.Grains.Tests;

public sealed class ManualTimeProviderTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task Delay_completes_only_when_the_clock_reaches_it()
    {
        var delay = Task.Delay(TimeSpan.FromMinutes(5), _clock);
        await _clock.WaitForPendingTimersAsync();

        _clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        Assert.False(delay.IsCompleted);

        _clock.Advance(TimeSpan.FromTicks(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(ManualTimeProvider.DefaultStart + TimeSpan.FromMinutes(5), _clock.GetUtcNow());
    }

    [Fact]
    public void Timers_fire_in_due_order_with_the_clock_at_their_due_time()
    {
        var fired = new List<(string Name, DateTimeOffset At)>();
        using var late = _clock.CreateTimer(_ => fired.Add(("late", _clock.GetUtcNow())), null, TimeSpan.FromSeconds(20), Timeout.InfiniteTimeSpan);
        using var early = _clock.CreateTimer(_ => fired.Add(("early", _clock.GetUtcNow())), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        _clock.Advance(TimeSpan.FromMinutes(1));

        var start = ManualTimeProvider.DefaultStart;
        Assert.Equal([("early", start.AddSeconds(10)), ("late", start.AddSeconds(20))], fired);
        Assert.Equal(start.AddMinutes(1), _clock.GetUtcNow());
        Assert.Equal(0, _clock.PendingTimerCount);
    }

    [Fact]
    public void Periodic_timers_fire_once_per_period_until_disposed()
    {
        var ticks = 0;
        var timer = _clock.CreateTimer(_ => ticks++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        _clock.Advance(TimeSpan.FromSeconds(3.5));
        timer.Dispose();
        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(3, ticks);
    }

    [Fact]
    public void A_cancellation_source_with_a_delay_cancels_when_the_clock_passes_it()
    {
        using var source = new CancellationTokenSource(TimeSpan.FromSeconds(30), _clock);

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(source.IsCancellationRequested);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(source.IsCancellationRequested);
    }

    [Fact]
    public void Elapsed_time_follows_the_clock()
    {
        var start = _clock.GetTimestamp();

        _clock.Advance(TimeSpan.FromSeconds(90));

        Assert.Equal(TimeSpan.FromSeconds(90), _clock.GetElapsedTime(start));
    }
}
