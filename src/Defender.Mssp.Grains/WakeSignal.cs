namespace Defender.Mssp.Grains;

/// <summary>
/// Wakes a waiting poll loop. A waiter takes <see cref="WaitAsync"/> first and checks its flags after, so a
/// <see cref="Set"/> between the check and the wait is never lost.
/// </summary>
internal sealed class WakeSignal
{
    private TaskCompletionSource _current = NewSource();

    public Task WaitAsync() => Volatile.Read(ref _current).Task;

    public void Set() => Interlocked.Exchange(ref _current, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
