using System.Collections.Concurrent;
using System.Text.Json;

namespace Defender.Mssp.Storage;

/// <summary>
/// <see cref="IGrainStorage"/> in process memory, for unit tests and single-process demos. Same ETag contract as the
/// blob implementation (the shared conformance suite holds both to it); states are stored serialised so a caller's
/// later mutation of its object never changes what is stored. Lease ids are not checked: there are no leases here.
/// </summary>
public sealed class InMemoryGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<string, (byte[] Json, string ETag)> _entries = new(StringComparer.Ordinal);

    public Task<GrainStateEntry<T>?> ReadAsync<T>(string key, CancellationToken cancellationToken) where T : class
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_entries.TryGetValue(key, out var entry))
        {
            return Task.FromResult<GrainStateEntry<T>?>(null);
        }

        var state = JsonSerializer.Deserialize<T>(entry.Json, GrainStateJson.Options)
            ?? throw new InvalidOperationException($"State '{key}' deserialised to null.");
        return Task.FromResult<GrainStateEntry<T>?>(new GrainStateEntry<T>(state, entry.ETag));
    }

    public Task<string> WriteAsync<T>(string key, T state, StorageConditions conditions, CancellationToken cancellationToken)
        where T : class
    {
        cancellationToken.ThrowIfCancellationRequested();
        var json = JsonSerializer.SerializeToUtf8Bytes(state, GrainStateJson.Options);
        var etag = NewETag();
        var written = conditions.IfMatch is null
            ? _entries.TryAdd(key, (json, etag))
            : _entries.TryGetValue(key, out var current) && current.ETag == conditions.IfMatch
              && _entries.TryUpdate(key, (json, etag), current);
        if (!written)
        {
            throw new InconsistentStateException(key, conditions.IfMatch, $"State '{key}' was changed by another writer.");
        }

        return Task.FromResult(etag);
    }

    public Task DeleteAsync(string key, StorageConditions conditions, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_entries.TryGetValue(key, out var current))
        {
            return Task.CompletedTask;
        }

        if (conditions.IfMatch is not null && current.ETag != conditions.IfMatch
            || !_entries.TryRemove(new KeyValuePair<string, (byte[], string)>(key, current)))
        {
            throw new InconsistentStateException(key, conditions.IfMatch, $"State '{key}' was changed by another writer.");
        }

        return Task.CompletedTask;
    }

    private static string NewETag() => "\"" + Guid.NewGuid().ToString("N") + "\"";
}
