namespace Defender.Mssp.Storage;

/// <summary>
/// <see cref="IPersistentState{TState}"/> over an <see cref="IGrainStorage"/>. Every write carries the ETag it last
/// saw and the current lease id (if the hosting layer holds one), so a stale or deposed writer is rejected by storage.
/// </summary>
public sealed class PersistentState<TState>(IGrainStorage storage, string key, Func<string?>? leaseId = null)
    : IPersistentState<TState> where TState : class, new()
{
    public TState State { get; set; } = new();

    public string? ETag { get; private set; }

    public bool RecordExists => ETag is not null;

    public string Key => key;

    public async Task ReadStateAsync(CancellationToken cancellationToken)
    {
        var entry = await storage.ReadAsync<TState>(key, cancellationToken).ConfigureAwait(false);
        State = entry?.State ?? new TState();
        ETag = entry?.ETag;
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken)
    {
        ETag = await storage.WriteAsync(key, State, new StorageConditions(ETag, leaseId?.Invoke()), cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken)
    {
        await storage.DeleteAsync(key, new StorageConditions(ETag, leaseId?.Invoke()), cancellationToken).ConfigureAwait(false);
        State = new TState();
        ETag = null;
    }
}
