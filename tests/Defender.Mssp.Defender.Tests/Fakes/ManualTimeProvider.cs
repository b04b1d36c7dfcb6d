using System.Collections.Concurrent;

namespace Defender.Mssp.Defender.Tests.Fakes;

/// <summary>
/// A clock that never sleeps: every timer created (Task.Delay, Polly's retry delays) fires at once on the thread
/// pool, the clock jumps forward by its due time, and the requested delays are recorded for assertions.
/// </summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long _utcTicks = start.UtcTicks;

    public ManualTimeProvider() : this(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public ConcurrentQueue<TimeSpan> Delays { get; } = new();

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FiringTimer();
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Delays.Enqueue(dueTime);
            Advance(dueTime);
            _ = Task.Run(() =>
            {
                if (!timer.Disposed)
                {
                    callback(state);
                }
            });
        }

        return timer;
    }

    private sealed class FiringTimer : ITimer
    {
        public bool Disposed { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => !Disposed;

        public void Dispose() => Disposed = true;

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
