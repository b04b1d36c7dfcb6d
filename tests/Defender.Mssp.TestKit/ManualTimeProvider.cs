namespace Defender.Mssp.TestKit;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock moves only when a test says so (Microsoft.Extensions.TimeProvider.Testing
/// cannot be restored here). Timers — and so <c>Task.Delay(TimeSpan, TimeProvider)</c> and
/// <c>CancellationTokenSource(TimeSpan, TimeProvider)</c> — fire inside <see cref="Advance"/> when the clock reaches
/// them, in due-time order, on the advancing thread. Tests assert behaviour against this clock and never sleep.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    /// <summary>A fixed, unremarkable start: 2026-01-05 08:00 UTC.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _timerWaiters = [];
    private DateTimeOffset _now;
    private long _sequence;

    public ManualTimeProvider() : this(DefaultStart)
    {
    }

    public ManualTimeProvider(DateTimeOffset start) => _now = start.ToUniversalTime();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Timestamps are the clock's ticks, so elapsed times measured through this provider follow the clock.</summary>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Timers that are scheduled and not yet fired or disposed.</summary>
    public int PendingTimerCount
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count;
            }
        }
    }

    /// <summary>When the next pending timer fires, or null when none is pending.</summary>
    public DateTimeOffset? NextTimerDueAt
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count == 0 ? null : _timers.Min(timer => timer.DueAt);
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// Moves the clock forward by <paramref name="delta"/>, firing every timer that falls due on the way with the clock
    /// set to that timer's due time. A zero delta fires timers that are already due.
    /// </summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_gate)
        {
            target = _now + delta;
        }

        while (true)
        {
            ManualTimer? due;
            lock (_gate)
            {
                due = _timers.Where(timer => timer.DueAt <= target)
                    .OrderBy(timer => timer.DueAt).ThenBy(timer => timer.Sequence).FirstOrDefault();
                if (due is null)
                {
                    _now = target;
                    return;
                }

                if (due.DueAt > _now)
                {
                    _now = due.DueAt;
                }

                _timers.Remove(due);
                if (due.Period > TimeSpan.Zero)
                {
                    due.DueAt += due.Period;
                    due.Sequence = ++_sequence;
                    _timers.Add(due);
                }
            }

            // Outside the lock: the callback may create, change or dispose timers, or read the clock.
            due.Fire();
        }
    }

    /// <summary>Moves the clock to <paramref name="value"/>, firing timers due on the way; earlier values fire nothing.</summary>
    public void SetUtcNow(DateTimeOffset value)
    {
        var now = GetUtcNow();
        if (value >= now)
        {
            Advance(value - now);
            return;
        }

        lock (_gate)
        {
            _now = value.ToUniversalTime();
        }
    }

    /// <summary>
    /// Completes once at least <paramref name="count"/> timers are pending: how a test knows the code under test has
    /// started waiting before it moves the clock.
    /// </summary>
    public Task WaitForPendingTimersAsync(int count = 1, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_timers.Count >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _timerWaiters.Add((count, signal));
            return signal.Task.WaitAsync(cancellationToken);
        }
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        List<TaskCompletionSource> satisfied;
        lock (_gate)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
            timer.DueAt = _now + dueTime;
            timer.Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
            timer.Sequence = ++_sequence;
            _timers.Add(timer);

            satisfied = _timerWaiters.Where(waiter => _timers.Count >= waiter.Count).Select(waiter => waiter.Signal).ToList();
            _timerWaiters.RemoveAll(waiter => satisfied.Contains(waiter.Signal));
        }

        foreach (var signal in satisfied)
        {
            signal.TrySetResult();
        }
    }

    private void Unschedule(ManualTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private bool _disposed;

        public DateTimeOffset DueAt { get; set; }

        public TimeSpan Period { get; set; }

        public long Sequence { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (Volatile.Read(ref _disposed))
            {
                return false;
            }

            owner.Schedule(this, dueTime, period);
            return true;
        }

        public void Fire()
        {
            if (!Volatile.Read(ref _disposed))
            {
                callback(state);
            }
        }

        public void Dispose()
        {
            Volatile.Write(ref _disposed, true);
            owner.Unschedule(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
