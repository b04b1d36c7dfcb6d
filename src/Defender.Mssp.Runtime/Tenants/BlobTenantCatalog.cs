using System.Collections.Concurrent;
using Azure;
using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Runtime.DataProtection;
using Defender.Mssp.Tenants;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Defender.Mssp.Runtime.Tenants;

/// <summary>
/// The cluster's tenant catalogue read from the management API's tenant documents. Each read lists the documents
/// (one call per 5,000 tenants) and downloads and unseals only those whose ETag changed since the last read, so a
/// balancing round costs little however many tenants there are. A document that cannot be read or unsealed (or whose
/// certificate cannot be loaded here) is left
/// out and tried again on the next read (logged once per version): one bad tenant never stops the others from being
/// polled, and one that failed for a passing reason (storage, a key ring not yet refreshed) comes back by itself.
/// </summary>
/// <remarks>
/// It also notices "poll now" commands: when a tenant's <see cref="PollRequest.Sequence"/> grows between two reads,
/// the <see cref="IPollRequestHandler"/>s are told. A request that is already there the first time a tenant is seen is
/// not replayed — a grain that activates polls soon anyway.
/// </remarks>
public sealed class BlobTenantCatalog : ITenantCatalog
{
    /// <summary>How many changed documents are downloaded at once.</summary>
    public const int MaxConcurrentDownloads = 16;

    private readonly TenantDocumentStore _store;
    private readonly TenantSecretProtector _protector;
    private readonly IReadOnlyList<IPollRequestHandler> _pollHandlers;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, ETag> _failuresLogged = new(StringComparer.Ordinal);
    private Dictionary<string, CachedTenant> _cache = new(StringComparer.Ordinal);

    public BlobTenantCatalog(
        TenantDocumentStore store,
        TenantSecretProtector protector,
        IEnumerable<IPollRequestHandler>? pollHandlers = null,
        ILogger<BlobTenantCatalog>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(protector);
        _store = store;
        _protector = protector;
        _pollHandlers = pollHandlers?.ToList() ?? [];
        _logger = logger ?? NullLogger<BlobTenantCatalog>.Instance;
    }

    public async ValueTask<IReadOnlyList<TenantSettings>> ListAsync(CancellationToken cancellationToken)
    {
        // Reads never overlap: the cache and the poll-request bookkeeping are one read's to update.
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var listings = new List<TenantListing>();
            await foreach (var listing in _store.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                listings.Add(listing);
            }

            var previous = _cache;
            var changed = listings.Where(listing => !previous.TryGetValue(listing.TenantId, out var cached)
                || cached.Settings is null
                || cached.ETag != listing.ETag).ToList();
            var fresh = new Dictionary<string, CachedTenant>(changed.Count, StringComparer.Ordinal);
            await Parallel.ForEachAsync(
                changed,
                new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentDownloads, CancellationToken = cancellationToken },
                async (listing, ct) =>
                {
                    var loaded = await LoadAsync(listing, ct).ConfigureAwait(false);
                    lock (fresh)
                    {
                        fresh[listing.TenantId] = loaded;
                    }
                }).ConfigureAwait(false);

            var next = new Dictionary<string, CachedTenant>(listings.Count, StringComparer.Ordinal);
            foreach (var listing in listings)
            {
                if (fresh.TryGetValue(listing.TenantId, out var loaded))
                {
                    if (loaded.IsGone)
                    {
                        continue;
                    }

                    if (previous.TryGetValue(listing.TenantId, out var before))
                    {
                        NotifyIfPollRequested(listing.TenantId, before.PollRequest, loaded.PollRequest);
                    }

                    next[listing.TenantId] = loaded;
                }
                else
                {
                    next[listing.TenantId] = previous[listing.TenantId];
                }
            }

            foreach (var tenantId in _failuresLogged.Keys.Where(id => !next.TryGetValue(id, out var cached) || cached.Settings is not null))
            {
                _failuresLogged.TryRemove(tenantId, out _);
            }

            _cache = next;
            return next.Values.Where(cached => cached.Settings is not null).Select(cached => cached.Settings!).ToList();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<CachedTenant> LoadAsync(TenantListing listing, CancellationToken cancellationToken)
    {
        StoredTenant? stored;
        try
        {
            stored = await _store.GetAsync(listing.TenantId, cancellationToken).ConfigureAwait(false);
        }
        catch (UnreadableTenantDocumentException e)
        {
            if (IsFirstFailure(listing.TenantId, listing.ETag))
            {
                TenantCatalogLog.Unreadable(_logger, listing.TenantId, e);
            }

            return new CachedTenant(listing.ETag, null, null, IsGone: false);
        }

        if (stored is null)
        {
            // Deleted between listing and reading.
            return new CachedTenant(listing.ETag, null, null, IsGone: true);
        }

        var pollRequest = stored.Document.PollRequest;
        try
        {
            var settings = stored.Document.ToSettings(_protector);
            if (settings.ClientSecret is null && settings.ClientCertificate is null)
            {
                TenantCatalogLog.NoCredential(_logger, listing.TenantId);
            }

            return new CachedTenant(stored.ETag, settings, pollRequest, IsGone: false);
        }
        catch (SecretUnsealException e)
        {
            if (IsFirstFailure(listing.TenantId, stored.ETag))
            {
                TenantCatalogLog.Unsealable(_logger, listing.TenantId, e);
            }

            return new CachedTenant(stored.ETag, null, pollRequest, IsGone: false);
        }
        catch (InvalidTenantCertificateException e)
        {
            if (IsFirstFailure(listing.TenantId, stored.ETag))
            {
                TenantCatalogLog.UnusableCertificate(_logger, listing.TenantId, e.Problem);
            }

            return new CachedTenant(stored.ETag, null, pollRequest, IsGone: false);
        }
    }

    /// <summary>Whether this version of the tenant's document has not failed before (so its failure is worth a log line).</summary>
    private bool IsFirstFailure(string tenantId, ETag etag)
    {
        var first = !_failuresLogged.TryGetValue(tenantId, out var logged) || logged != etag;
        _failuresLogged[tenantId] = etag;
        return first;
    }

    private void NotifyIfPollRequested(string tenantId, PollRequest? before, PollRequest? now)
    {
        if (now is null || now.Sequence <= (before?.Sequence ?? 0))
        {
            return;
        }

        TenantCatalogLog.PollRequested(_logger, tenantId, now.Sequence);
        foreach (var handler in _pollHandlers)
        {
            try
            {
                handler.OnPollRequested(tenantId, now);
            }
            catch (Exception e)
            {
                // A handler's bug must not cost the cluster its catalogue.
                TenantCatalogLog.PollHandlerFailed(_logger, tenantId, e);
            }
        }
    }

    /// <param name="Settings">Null when the document could not be read or unsealed: left out of the catalogue, and read
    /// again next time.</param>
    /// <param name="IsGone">The document vanished between listing and reading.</param>
    private sealed record CachedTenant(ETag ETag, TenantSettings? Settings, PollRequest? PollRequest, bool IsGone);
}
