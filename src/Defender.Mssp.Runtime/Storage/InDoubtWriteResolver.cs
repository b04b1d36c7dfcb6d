using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Defender.Mssp.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Defender.Mssp.Runtime.Storage;

/// <summary>
/// Grain storage for one writer that tells its own lost writes from other writers. A write that failed without an
/// answer from storage (a reset connection, a timeout, an outage beginning mid-request) is <em>in doubt</em>: storage may
/// have applied it, and then the writer's ETag is stale and its next write is refused as a conflict although nobody else
/// wrote. When such a conflict comes, this reads the stored state: if it is exactly one of the in-doubt writes (same
/// JSON), the writer was the last to write, and the write is repeated against the stored ETag; any other stored state
/// is a real conflict and the refusal stands.
/// </summary>
/// <remarks>
/// Without it a storage outage that cut a checkpoint write after storage applied it deposes the grain once storage is
/// back — it deactivates and releases its lease, and the tenant fails over for nothing. Writes still carry the lease id,
/// so storage keeps fencing a writer that lost its lease whatever this concludes. One instance per grain activation:
/// it remembers in-doubt writes per key until a write or read tells the writer the current ETag.
/// </remarks>
public sealed class InDoubtWriteResolver : IGrainStorage
{
    /// <summary>In-doubt writes remembered per key; older ones are forgotten (a long outage retries many times).</summary>
    public const int MaxInDoubtWrites = 32;

    private readonly IGrainStorage _inner;
    private readonly ILogger _logger;
    // Created at the first write in doubt: one per grain activation, and most never see one (issue 9, memory per tenant).
    private ConcurrentDictionary<string, InDoubt>? _inDoubt;

    public InDoubtWriteResolver(IGrainStorage inner, ILogger<InDoubtWriteResolver>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _logger = logger ?? NullLogger<InDoubtWriteResolver>.Instance;
    }

    public async Task<GrainStateEntry<T>?> ReadAsync<T>(string key, CancellationToken cancellationToken) where T : class
    {
        var entry = await _inner.ReadAsync<T>(key, cancellationToken).ConfigureAwait(false);
        // The reader now holds the current ETag: nothing it wrote before can be mistaken for a conflict any more.
        _inDoubt?.TryRemove(key, out _);
        return entry;
    }

    public async Task<string> WriteAsync<T>(string key, T state, StorageConditions conditions, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var etag = await _inner.WriteAsync(key, state, conditions, cancellationToken).ConfigureAwait(false);
            _inDoubt?.TryRemove(key, out _);
            return etag;
        }
        catch (InconsistentStateException) when (_inDoubt is { } writes && writes.TryGetValue(key, out var inDoubt) && inDoubt.IfMatch == conditions.IfMatch)
        {
            var stored = await _inner.ReadAsync<T>(key, cancellationToken).ConfigureAwait(false);
            if (stored is null || !inDoubt.Contains(Fingerprint(stored.State)))
            {
                throw;
            }

            InDoubtWriteLog.OwnWriteLanded(_logger, key, conditions.IfMatch, stored.ETag);
            // Should this retry be cut off too, its landing is recognised the same way next time.
            inDoubt.Add(Fingerprint(state));
            var etag = await _inner.WriteAsync(key, state, conditions with { IfMatch = stored.ETag }, cancellationToken).ConfigureAwait(false);
            _inDoubt?.TryRemove(key, out _);
            return etag;
        }
        catch (Exception exception) when (exception is not (InconsistentStateException or LeaseLostException))
        {
            // No answer, or an answer that came too late to be read: storage may or may not have applied it.
            LazyInitializer.EnsureInitialized(ref _inDoubt, static () => new ConcurrentDictionary<string, InDoubt>(StringComparer.Ordinal))
                .AddOrUpdate(
                key,
                static (_, write) => new InDoubt(write.IfMatch).Add(write.Fingerprint),
                static (_, existing, write) => existing.IfMatch == write.IfMatch
                    ? existing.Add(write.Fingerprint)
                    : new InDoubt(write.IfMatch).Add(write.Fingerprint),
                (conditions.IfMatch, Fingerprint: Fingerprint(state)));
            throw;
        }
    }

    public async Task DeleteAsync(string key, StorageConditions conditions, CancellationToken cancellationToken)
    {
        await _inner.DeleteAsync(key, conditions, cancellationToken).ConfigureAwait(false);
        _inDoubt?.TryRemove(key, out _);
    }

    /// <summary>The state as storage holds it (the same JSON the blob storage writes), hashed.</summary>
    private static string Fingerprint<T>(T state) =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(state, GrainStateJson.Options)));

    /// <summary>The writes made against one ETag whose outcome is unknown.</summary>
    private sealed class InDoubt(string? ifMatch)
    {
        private readonly Queue<string> _fingerprints = new();

        public string? IfMatch { get; } = ifMatch;

        public InDoubt Add(string fingerprint)
        {
            lock (_fingerprints)
            {
                _fingerprints.Enqueue(fingerprint);
                while (_fingerprints.Count > MaxInDoubtWrites)
                {
                    _fingerprints.Dequeue();
                }
            }

            return this;
        }

        public bool Contains(string fingerprint)
        {
            lock (_fingerprints)
            {
                return _fingerprints.Contains(fingerprint);
            }
        }
    }
}
