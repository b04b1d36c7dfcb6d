using System.Collections.Concurrent;

namespace Defender.Mssp.Defender.Tokens;

/// <summary>
/// At most one acquisition in flight per key: a caller arriving while one runs waits for that one instead of
/// starting another, and a caller that stops waiting (its token cancelled) leaves the acquisition running for the
/// others and for the cache.
/// <para>
/// Races handled: of two callers arriving at once, exactly one adds its entry and starts; the other finds that entry
/// and waits. The entry is removed before the outcome is published, so a caller arriving after the removal starts
/// afresh (and finds the token in <see cref="AccessTokenCache"/> when it succeeded) and never receives a stale
/// outcome; one arriving just before it shares the outcome about to be published.
/// </para>
/// </summary>
internal sealed class SharedAcquisitions<TKey, TResult>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Task<TResult>> _running = new();

    /// <summary>Acquisitions in flight now.</summary>
    public int Count => _running.Count;

    /// <summary>
    /// Waits for the acquisition of <paramref name="key"/>, starting it with <paramref name="acquire"/> when none
    /// runs. <paramref name="acquire"/> must not depend on the caller's token: other callers may share its outcome.
    /// </summary>
    public Task<TResult> RunAsync<TState>(
        TKey key, TState state, Func<TKey, TState, Task<TResult>> acquire, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_running.TryGetValue(key, out var running))
            {
                return running.WaitAsync(cancellationToken);
            }

            var outcome = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_running.TryAdd(key, outcome.Task))
            {
                _ = CompleteAsync(key, outcome, Start(key, state, acquire));
                return outcome.Task.WaitAsync(cancellationToken);
            }
        }
    }

    private static Task<TResult> Start<TState>(TKey key, TState state, Func<TKey, TState, Task<TResult>> acquire)
    {
        try
        {
            return acquire(key, state);
        }
        catch (Exception ex)
        {
            return Task.FromException<TResult>(ex);
        }
    }

    private async Task CompleteAsync(TKey key, TaskCompletionSource<TResult> outcome, Task<TResult> acquisition)
    {
        try
        {
            await acquisition.ConfigureAwait(false);
        }
        catch
        {
            // Published below, from the task itself, so the caller sees the exception as thrown.
        }

        _running.TryRemove(new KeyValuePair<TKey, Task<TResult>>(key, outcome.Task));
        if (acquisition.IsCompletedSuccessfully)
        {
            outcome.SetResult(acquisition.Result);
        }
        else if (acquisition.IsCanceled)
        {
            outcome.SetCanceled(CancellationToken.None);
        }
        else
        {
            outcome.SetException(acquisition.Exception!.InnerExceptions);
        }
    }
}
