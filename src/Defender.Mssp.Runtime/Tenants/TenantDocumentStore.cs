using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Defender.Mssp.Runtime.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Defender.Mssp.Runtime.Tenants;

/// <summary>
/// The tenants' desired state: one JSON blob per tenant (<c>{prefix}{tenantId}.json</c>) with optimistic concurrency
/// on the blob's ETag. Creates use <c>If-None-Match: *</c> (a second create of the same tenant fails), replaces and
/// deletes <c>If-Match</c>, so two writers that read the same version cannot both win. Thread-safe.
/// </summary>
public sealed class TenantDocumentStore
{
    private const string Extension = ".json";
    private const string JsonContentType = "application/json";

    private readonly BlobContainerClient _container;
    private readonly string _prefix;
    private readonly ILogger _logger;
    private volatile bool _containerReady;

    public TenantDocumentStore(
        BlobContainerClient container,
        string tenantPrefix = TenantStoreOptions.DefaultTenantPrefix,
        ILogger<TenantDocumentStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(tenantPrefix);
        _container = container;
        _prefix = tenantPrefix;
        _logger = logger ?? NullLogger<TenantDocumentStore>.Instance;
    }

    /// <summary>The blob holding <paramref name="tenantId"/>'s document; the id must be canonical (<see cref="TenantIds"/>).</summary>
    public string BlobName(string tenantId) =>
        TenantIds.IsCanonical(tenantId)
            ? _prefix + tenantId + Extension
            : throw new ArgumentException("Tenant ids are stored in canonical GUID form only.", nameof(tenantId));

    /// <summary>The tenant's document and its ETag, or null when there is none.</summary>
    /// <exception cref="UnreadableTenantDocumentException">The blob is not a tenant document this build can read.</exception>
    public async Task<StoredTenant?> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        var name = BlobName(tenantId);
        try
        {
            var download = await _container.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return new StoredTenant(Parse(name, tenantId, download.Value.Content), download.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Stores a new tenant's document.</summary>
    /// <exception cref="TenantAlreadyExistsException">The tenant has a document already.</exception>
    public async Task<StoredTenant> CreateAsync(TenantDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var name = BlobName(document.TenantId);
        for (var attempt = 0; ; attempt++)
        {
            await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var etag = await UploadAsync(name, document, new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken).ConfigureAwait(false);
                TenantStoreLog.Created(_logger, document.TenantId, name, document.Version);
                return new StoredTenant(document, etag);
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound && attempt == 0)
            {
                // Deleted underneath us since it was cached as ready: create it again, once.
                _containerReady = false;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                throw new TenantAlreadyExistsException(document.TenantId, e);
            }
        }
    }

    /// <summary>Replaces the tenant's document, provided it is still at <paramref name="ifMatch"/>.</summary>
    /// <exception cref="TenantConcurrencyException">The document changed since it was read at <paramref name="ifMatch"/>.</exception>
    /// <exception cref="TenantNotFoundException">The document was deleted.</exception>
    public async Task<StoredTenant> ReplaceAsync(TenantDocument document, ETag ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var name = BlobName(document.TenantId);
        try
        {
            var etag = await UploadAsync(name, document, new BlobRequestConditions { IfMatch = ifMatch }, cancellationToken).ConfigureAwait(false);
            TenantStoreLog.Replaced(_logger, document.TenantId, name, document.Version);
            return new StoredTenant(document, etag);
        }
        catch (RequestFailedException e) when (e.Status == 412 || e.Status == 404)
        {
            // If-Match on a blob that is gone fails as well: tell the two apart for the caller.
            if (!(await _container.GetBlobClient(name).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
            {
                throw new TenantNotFoundException(document.TenantId, e);
            }

            TenantStoreLog.Conflict(_logger, document.TenantId, name, ifMatch.ToString());
            throw new TenantConcurrencyException(document.TenantId, e);
        }
    }

    /// <summary>Deletes the tenant's document, if it is (still) at <paramref name="ifMatch"/> when one is given.</summary>
    /// <returns>False when there was no document.</returns>
    /// <exception cref="TenantConcurrencyException">The document changed since it was read at <paramref name="ifMatch"/>.</exception>
    public async Task<bool> DeleteAsync(string tenantId, ETag? ifMatch, CancellationToken cancellationToken)
    {
        var name = BlobName(tenantId);
        var blob = _container.GetBlobClient(name);
        var conditions = ifMatch is { } etag ? new BlobRequestConditions { IfMatch = etag } : null;
        try
        {
            var deleted = (await blob.DeleteIfExistsAsync(conditions: conditions, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            if (deleted)
            {
                TenantStoreLog.Deleted(_logger, tenantId, name);
            }

            return deleted;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            if (!(await blob.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
            {
                return false;
            }

            TenantStoreLog.Conflict(_logger, tenantId, name, ifMatch?.ToString());
            throw new TenantConcurrencyException(tenantId, e);
        }
    }

    /// <summary>
    /// The stored tenants in tenant id order, after <paramref name="startAfter"/> when given, following the service's
    /// continuation markers page by page. Blobs under the prefix that are not named for a canonical tenant id are
    /// skipped.
    /// </summary>
    public async IAsyncEnumerable<TenantListing> ListAsync(
        string? startAfter = null,
        int? pageSizeHint = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var pages = _container.GetBlobsAsync(prefix: _prefix, cancellationToken: cancellationToken).AsPages(pageSizeHint: pageSizeHint);
        await using var enumerator = pages.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
            {
                yield break;
            }

            foreach (var item in enumerator.Current.Values)
            {
                if (TenantIdOf(item.Name) is { } tenantId
                    && (startAfter is null || string.CompareOrdinal(tenantId, startAfter) > 0))
                {
                    yield return new TenantListing(tenantId, item.Properties.ETag ?? default);
                }
            }
        }
    }

    /// <summary>The tenant id a blob name stands for, or null when the blob is not a tenant document.</summary>
    public string? TenantIdOf(string blobName) =>
        blobName.StartsWith(_prefix, StringComparison.Ordinal)
        && blobName.EndsWith(Extension, StringComparison.Ordinal)
        && blobName[_prefix.Length..^Extension.Length] is var id
        && TenantIds.IsCanonical(id)
            ? id
            : null;

    private async Task<ETag> UploadAsync(string name, TenantDocument document, BlobRequestConditions conditions, CancellationToken cancellationToken)
    {
        document = document with { SchemaVersion = document.RequiredSchemaVersion };
        var content = BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(document, TenantDocumentJson.Options));
        var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = JsonContentType }, Conditions = conditions };
        var uploaded = await _container.GetBlobClient(name).UploadAsync(content, options, cancellationToken).ConfigureAwait(false);
        return uploaded.Value.ETag;
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (_containerReady)
        {
            return;
        }

        await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        _containerReady = true;
    }

    /// <summary>Reads a tenant document, refusing one that claims another tenant id or a newer schema.</summary>
    internal static TenantDocument Parse(string blobName, string tenantId, BinaryData content)
    {
        TenantDocument? document;
        try
        {
            document = content.ToObjectFromJson<TenantDocument>(TenantDocumentJson.Options);
        }
        catch (JsonException e)
        {
            // JsonException's message carries only a path and position, never the content.
            throw new UnreadableTenantDocumentException(blobName, "not a tenant document (" + e.Path + ")", e);
        }

        if (document is null)
        {
            throw new UnreadableTenantDocumentException(blobName, "empty document");
        }

        if (document.SchemaVersion > TenantDocument.CurrentSchemaVersion)
        {
            throw new UnreadableTenantDocumentException(blobName,
                $"schema version {document.SchemaVersion} is newer than this build's {TenantDocument.CurrentSchemaVersion}");
        }

        if (!string.Equals(document.TenantId, tenantId, StringComparison.Ordinal))
        {
            throw new UnreadableTenantDocumentException(blobName, $"it names tenant '{document.TenantId}'");
        }

        return document;
    }
}
