using Azure;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Runtime.Storage;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.Runtime.Tenants;
using Defender.Mssp.Storage;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Api.Dashboard.Fleet;

/// <summary>
/// Reads the whole fleet: the membership table, one listing of tenant documents and one of grain states, and then only
/// the blobs whose ETag changed since the previous read. In steady state that is three listings plus one download per
/// tenant that polled since, however many people watch. Not for concurrent use: <see cref="FleetMonitor"/> serialises it.
/// </summary>
public sealed class FleetReader : IFleetSource
{
    private readonly TenantDocumentStore _store;
    private readonly IGrainStorage _grainStorage;
    private readonly MembershipTable _membership;
    private readonly TimeProvider _time;
    private readonly StateBlobVersions _stateBlobs;
    private readonly int _maxConcurrentReads;
    private readonly VersionedCache<ETag, TenantDocument> _documents = new();
    private readonly VersionedCache<string, TenantGrainState> _states = new();

    public FleetReader(
        TenantDocumentStore store,
        IGrainStorage grainStorage,
        MembershipTable membership,
        BlobContainerClient container,
        IOptions<BlobGrainStorageOptions> stateOptions,
        IOptions<DashboardOptions> options,
        TimeProvider time)
    {
        _store = store;
        _grainStorage = grainStorage;
        _membership = membership;
        _time = time;
        _stateBlobs = new StateBlobVersions(container, stateOptions.Value.StatePrefix);
        _maxConcurrentReads = options.Value.MaxConcurrentReads;
    }

    public async Task<FleetSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var silos = await _membership.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        var documents = new Dictionary<string, ETag>(StringComparer.Ordinal);
        await foreach (var listing in _store.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            documents[listing.TenantId] = listing.ETag;
        }

        var states = await _stateBlobs.ListAsync(cancellationToken).ConfigureAwait(false);
        var at = _time.GetUtcNow();

        // Managed tenants, and tenants a silo runs from its own configuration (leased, but without a document). A state
        // left behind by a tenant deleted without purge is neither, and is not shown.
        var tenantIds = documents.Keys
            .Concat(states.Where(pair => pair.Value.Leased && !documents.ContainsKey(pair.Key)).Select(pair => pair.Key))
            .Order(StringComparer.Ordinal)
            .ToList();
        var tenants = new FleetTenant?[tenantIds.Count];
        var readDocuments = new (ETag ETag, TenantDocument Document)?[tenantIds.Count];
        var readStates = new (string ETag, TenantGrainState State)?[tenantIds.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _maxConcurrentReads, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, tenantIds.Count), parallel, async (i, ct) =>
        {
            var tenantId = tenantIds[i];
            TenantDocument? document = null;
            if (documents.TryGetValue(tenantId, out var documentETag) && !_documents.TryGet(tenantId, documentETag, out document))
            {
                var stored = await ReadDocumentAsync(tenantId, ct).ConfigureAwait(false);
                if (stored is null)
                {
                    return; // Deleted since the listing, or unreadable.
                }

                document = stored.Document;
                readDocuments[i] = (stored.ETag, stored.Document);
            }

            TenantGrainState? state = null;
            var leased = false;
            if (states.TryGetValue(tenantId, out var listed))
            {
                leased = listed.Leased;
                if (!_states.TryGet(tenantId, listed.ETag, out state))
                {
                    var entry = await _grainStorage.ReadAsync<TenantGrainState>(tenantId, ct).ConfigureAwait(false);
                    state = entry?.State;
                    if (entry is not null)
                    {
                        readStates[i] = (entry.ETag, entry.State);
                    }
                }
            }

            tenants[i] = new FleetTenant(tenantId, document, state, leased);
        }).ConfigureAwait(false);

        // The caches are written after the parallel reads, so they need no locking.
        for (var i = 0; i < tenantIds.Count; i++)
        {
            if (readDocuments[i] is { } document)
            {
                _documents.Set(tenantIds[i], document.ETag, document.Document);
            }

            if (readStates[i] is { } state)
            {
                _states.Set(tenantIds[i], state.ETag, state.State);
            }
        }

        _documents.RetainOnly(documents.Keys.ToHashSet(StringComparer.Ordinal));
        _states.RetainOnly(states.Keys.ToHashSet(StringComparer.Ordinal));
        return new FleetSnapshot(at, silos, tenants.Where(tenant => tenant is not null).Select(tenant => tenant!).ToList());
    }

    private async Task<StoredTenant?> ReadDocumentAsync(string tenantId, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        }
        catch (UnreadableTenantDocumentException)
        {
            // A document from a newer build, say: the tenant API answers for it; the overview leaves it out.
            return null;
        }
    }
}
