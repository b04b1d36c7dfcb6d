using System.Text.Json;
using Azure;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Defender.Mssp.Runtime.Storage;

/// <summary>
/// <see cref="IGrainStorage"/> on a blob container, as Orleans' Azure blob grain storage: one JSON blob per key
/// (<c>{prefix}{key}.json</c>). Creates use <c>If-None-Match: *</c>, updates and deletes <c>If-Match</c> with the
/// caller's ETag, and a lease id, when given, is sent as <c>x-ms-lease-id</c> so a silo that lost the tenant's lease
/// can never overwrite the new owner's state — storage itself fences it.
/// </summary>
/// <remarks>
/// Storage errors become domain exceptions here: a failed ETag condition (412 <c>ConditionNotMet</c>, 409
/// <c>BlobAlreadyExists</c>) an <see cref="InconsistentStateException"/>; a lease that is not the active one (412
/// <c>LeaseIdMissing</c>, <c>LeaseIdMismatchWithBlobOperation</c>, <c>LeaseLost</c>,
/// <c>LeaseNotPresentWithBlobOperation</c>) a <see cref="LeaseLostException"/>. Anything else (outage, throttling
/// beyond the pipeline's retries) surfaces as <see cref="RequestFailedException"/> for the caller to retry later.
/// A retried create whose first try did land reports a conflict; the grain then re-reads, which is safe.
/// </remarks>
public sealed class BlobGrainStorage : IGrainStorage
{
    private const string JsonContentType = "application/json";

    /// <summary>The 412 codes saying the write's lease id is not the blob's active lease.</summary>
    private static readonly HashSet<string?> LeaseErrors =
    [
        BlobErrorCode.LeaseIdMissing,
        BlobErrorCode.LeaseIdMismatchWithBlobOperation,
        BlobErrorCode.LeaseLost,
        BlobErrorCode.LeaseNotPresentWithBlobOperation,
    ];

    private readonly BlobContainerClient _container;
    private readonly string _prefix;
    private readonly ILogger _logger;
    private readonly StorageMetrics? _metrics;
    private volatile bool _containerReady;

    public BlobGrainStorage(
        BlobContainerClient container,
        string statePrefix = BlobGrainStorageOptions.DefaultStatePrefix,
        ILogger<BlobGrainStorage>? logger = null,
        StorageMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(statePrefix);
        _container = container;
        _prefix = statePrefix;
        _logger = logger ?? NullLogger<BlobGrainStorage>.Instance;
        _metrics = metrics;
    }

    /// <summary>The blob that holds <paramref name="key"/>'s state.</summary>
    public string BlobName(string key) => _prefix + key + ".json";

    public Task<GrainStateEntry<T>?> ReadAsync<T>(string key, CancellationToken cancellationToken) where T : class =>
        _metrics is null
            ? ReadCoreAsync<T>(key, cancellationToken)
            : _metrics.MeasureAsync(StorageOperations.Read, () => ReadCoreAsync<T>(key, cancellationToken));

    public Task<string> WriteAsync<T>(string key, T state, StorageConditions conditions, CancellationToken cancellationToken)
        where T : class =>
        _metrics is null
            ? WriteCoreAsync(key, state, conditions, cancellationToken)
            : _metrics.MeasureAsync(StorageOperations.Write, () => WriteCoreAsync(key, state, conditions, cancellationToken));

    public Task DeleteAsync(string key, StorageConditions conditions, CancellationToken cancellationToken) =>
        _metrics is null
            ? DeleteCoreAsync(key, conditions, cancellationToken)
            : _metrics.MeasureAsync(StorageOperations.Delete, () => DeleteCoreAsync(key, conditions, cancellationToken));

    private async Task<GrainStateEntry<T>?> ReadCoreAsync<T>(string key, CancellationToken cancellationToken) where T : class
    {
        var blob = _container.GetBlobClient(BlobName(key));
        try
        {
            var download = await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            var state = download.Value.Content.ToObjectFromJson<T>(GrainStateJson.Options)
                ?? throw new InvalidOperationException($"State '{key}' deserialised to null.");
            return new GrainStateEntry<T>(state, download.Value.Details.ETag.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No blob, or no container yet: either way nothing is stored.
            return null;
        }
    }

    private async Task<string> WriteCoreAsync<T>(string key, T state, StorageConditions conditions, CancellationToken cancellationToken)
        where T : class
    {
        var content = BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(state, GrainStateJson.Options));
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = JsonContentType },
            Conditions = new BlobRequestConditions
            {
                IfMatch = conditions.IfMatch is { } ifMatch ? new ETag(ifMatch) : null,
                IfNoneMatch = conditions.IfMatch is null ? ETag.All : null,
                LeaseId = conditions.LeaseId,
            },
        };

        var blob = _container.GetBlobClient(BlobName(key));
        var uploaded = await WithContainerAsync(
            key, conditions, ct => blob.UploadAsync(content, options, ct), cancellationToken).ConfigureAwait(false);
        return uploaded.Value.ETag.ToString();
    }

    private async Task DeleteCoreAsync(string key, StorageConditions conditions, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(BlobName(key));
        var requestConditions = new BlobRequestConditions
        {
            IfMatch = conditions.IfMatch is { } ifMatch ? new ETag(ifMatch) : null,
            LeaseId = conditions.LeaseId,
        };
        try
        {
            await blob.DeleteIfExistsAsync(conditions: requestConditions, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (IsConditionNotMet(e))
        {
            // If-Match on a blob that is gone fails the condition, yet the caller asked for it to be gone: done. Had
            // another writer re-created it meanwhile, it exists and that is the conflict.
            if ((await blob.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
            {
                throw Translate(e, blob.Name, key, conditions)!;
            }
        }
        catch (RequestFailedException e) when (Translate(e, blob.Name, key, conditions) is { } domain)
        {
            throw domain;
        }
    }

    /// <summary>Runs a write, creating the container on first use or when it was deleted underneath us.</summary>
    private async Task<TResult> WithContainerAsync<TResult>(
        string key, StorageConditions conditions, Func<CancellationToken, Task<TResult>> write, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await write(cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound && attempt == 0)
            {
                _containerReady = false;
            }
            catch (RequestFailedException e) when (Translate(e, BlobName(key), key, conditions) is { } domain)
            {
                throw domain;
            }
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (_containerReady)
        {
            return;
        }

        // Idempotent, so concurrent first writes may all call it; only the flag is cached.
        await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        _containerReady = true;
        BlobGrainStorageLog.ContainerReady(_logger, _container.Name);
    }

    // Plain comparisons, not constant patterns: Azure.Storage.Blobs' BlobErrorCode is a struct, and this class should
    // compile unchanged the day the SDK replaces our client.
    private Exception? Translate(RequestFailedException e, string blobName, string key, StorageConditions conditions)
    {
        if (IsConflict(e))
        {
            BlobGrainStorageLog.Conflict(_logger, blobName, conditions.IfMatch, e.ErrorCode);
            return new InconsistentStateException(key, conditions.IfMatch, $"State '{key}' was changed by another writer.", e);
        }

        if (e.Status == 412 && LeaseErrors.Contains(e.ErrorCode))
        {
            BlobGrainStorageLog.LeaseLost(_logger, blobName, e.ErrorCode);
            return new LeaseLostException(key, $"State '{key}' is leased by another owner; this writer no longer holds its lease.", e);
        }

        return null;
    }

    private static bool IsConditionNotMet(RequestFailedException e) =>
        e.Status == 412 && e.ErrorCode == BlobErrorCode.ConditionNotMet;

    private static bool IsConflict(RequestFailedException e) =>
        IsConditionNotMet(e) || e.Status == 409 && e.ErrorCode == BlobErrorCode.BlobAlreadyExists;
}
