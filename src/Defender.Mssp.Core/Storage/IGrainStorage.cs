namespace Defender.Mssp.Storage;

/// <summary>
/// Grain storage: one JSON document per grain key, with optimistic concurrency by ETag and, where the hosting layer
/// uses leases, fencing by lease id. Mirrors Orleans' <c>IGrainStorage</c> contract.
/// </summary>
public interface IGrainStorage
{
    /// <summary>The stored state and its ETag, or null when nothing is stored under <paramref name="key"/>.</summary>
    Task<GrainStateEntry<T>?> ReadAsync<T>(string key, CancellationToken cancellationToken) where T : class;

    /// <summary>
    /// Writes <paramref name="state"/>. With <see cref="StorageConditions.IfMatch"/> null the write only succeeds if
    /// nothing is stored yet; otherwise only if the stored ETag still equals it. Returns the new ETag.
    /// </summary>
    /// <exception cref="InconsistentStateException">The stored ETag differs (another writer won).</exception>
    /// <exception cref="LeaseLostException">The write carried a lease that is no longer held.</exception>
    Task<string> WriteAsync<T>(string key, T state, StorageConditions conditions, CancellationToken cancellationToken) where T : class;

    /// <summary>Deletes the state if its ETag still matches; deleting what is not there succeeds.</summary>
    /// <exception cref="InconsistentStateException">The stored ETag differs.</exception>
    /// <exception cref="LeaseLostException">The delete carried a lease that is no longer held.</exception>
    Task DeleteAsync(string key, StorageConditions conditions, CancellationToken cancellationToken);
}

/// <summary>A stored state and the ETag it was read at.</summary>
public sealed record GrainStateEntry<T>(T State, string ETag) where T : class;

/// <summary>
/// Preconditions of a write. <see cref="IfMatch"/> null means "create only"; <see cref="LeaseId"/> fences the write
/// to the current lease holder when the state blob is leased.
/// </summary>
public readonly record struct StorageConditions(string? IfMatch, string? LeaseId = null)
{
    public static StorageConditions CreateNew(string? leaseId = null) => new(null, leaseId);
}
