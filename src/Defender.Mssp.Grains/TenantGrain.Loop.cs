namespace Defender.Mssp.Grains;

public sealed partial class TenantGrain
{
    // Task.Delay cannot wait longer than about 49 days; a long wait is taken in steps.
    private static readonly TimeSpan MaxSingleWait = TimeSpan.FromDays(1);

    /// <summary>
    /// The poll loop. The first turn comes after a random offset within one poll interval, so thousands of tenants
    /// activated together spread out; later turns every interval ± jitter, never before
    /// <see cref="State.TenantGrainState.NextPollNotBefore"/> (all sources backing off). A paused tenant records its
    /// pause and then sleeps until <see cref="UpdateSettings"/> or <see cref="RequestPollNow"/> wakes it.
    /// Returns when <paramref name="cancellationToken"/> is cancelled or the grain deactivates.
    /// </summary>
    /// <exception cref="Storage.InconsistentStateException">Ownership lost; the host should deactivate the grain.</exception>
    /// <exception cref="Storage.LeaseLostException">Ownership lost; the host should deactivate the grain.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var ct = linked.Token;
        // Each turn of the loop is a trace of its own, not a child of whatever span started the loop.
        System.Diagnostics.Activity.Current = null;
        try
        {
            DateTimeOffset? due = _time.GetUtcNow() + _schedule.FirstPollDelay(_settings.PollInterval);
            while (true)
            {
                await WaitForTurnAsync(due, ct).ConfigureAwait(false);
                var result = await PollOnceAsync(ct).ConfigureAwait(false);
                due = result.Outcome == State.PollOutcome.Paused
                    ? null
                    : _time.GetUtcNow() + _schedule.NextPollDelay(_settings.PollInterval);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException
                                          && ct.IsCancellationRequested)
        {
            // Stopped: the host's token or DeactivateAsync.
        }
    }

    /// <summary>
    /// Waits until <paramref name="due"/> (null: until woken) and any backoff have passed, a poll-now is requested, or a
    /// paused tenant is resumed. Each wake re-reads the flags, so a wake that raced the check is never lost.
    /// </summary>
    private async Task WaitForTurnAsync(DateTimeOffset? due, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var woken = _wake.WaitAsync();
            if (Volatile.Read(ref _pollNowRequested) != 0 || (due is null && !_settings.Paused))
            {
                return;
            }

            if (due is null)
            {
                await woken.WaitAsync(ct).ConfigureAwait(false);
                continue;
            }

            var target = NextPollNotBefore is { } notBefore && notBefore > due.Value ? notBefore : due.Value;
            var wait = target - _time.GetUtcNow();
            // Task.Delay counts whole milliseconds and truncates: a shorter wait would return at once and spin.
            if (wait < TimeSpan.FromMilliseconds(1))
            {
                return;
            }

            var step = wait < MaxSingleWait ? TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)) : MaxSingleWait;
            using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var delay = Task.Delay(step, _time, stopDelay.Token);
            await Task.WhenAny(delay, woken).ConfigureAwait(false);
            // Releases the timer when the wake won; a no-op when the delay did.
            await stopDelay.CancelAsync().ConfigureAwait(false);
        }
    }
}
