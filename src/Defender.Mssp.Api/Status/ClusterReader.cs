using Defender.Mssp.Api.Contracts;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Runtime.Tenants;
using Defender.Mssp.Storage;

namespace Defender.Mssp.Api.Status;

/// <summary>
/// The cluster as storage shows it: the silos' heartbeats (<c>silos/{siloId}.json</c>), the tenant documents and the
/// state blobs' leases (which also show tenants a silo runs from its own configuration). Which silo owns which tenant is read from the leased tenants' state only when asked, since
/// that costs one read per owned tenant.
/// </summary>
public sealed class ClusterReader(MembershipTable membership, TenantDocumentStore store, StateBlobs stateBlobs, IGrainStorage grainStorage)
{
    private const int MaxConcurrentReads = 16;

    public async Task<ClusterResponse> ReadAsync(bool includeTenants, CancellationToken cancellationToken)
    {
        var silos = await membership.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        var tenantIds = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var listing in store.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            tenantIds.Add(listing.TenantId);
        }

        // Owned means leased, whether the tenant came from the API or from a silo's configuration.
        var leases = await stateBlobs.ListLeasesAsync(null, cancellationToken).ConfigureAwait(false);
        var owned = leases.Where(pair => pair.Value).Select(pair => pair.Key).ToList();
        tenantIds.UnionWith(owned);

        Dictionary<string, List<string>>? tenantsBySilo = null;
        if (includeTenants)
        {
            tenantsBySilo = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            await Parallel.ForEachAsync(
                owned,
                new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentReads, CancellationToken = cancellationToken },
                async (tenantId, ct) =>
                {
                    var entry = await grainStorage.ReadAsync<TenantGrainState>(tenantId, ct).ConfigureAwait(false);
                    if (entry?.State.OwnerSiloId is { } owner)
                    {
                        lock (tenantsBySilo)
                        {
                            (tenantsBySilo.TryGetValue(owner, out var list) ? list : tenantsBySilo[owner] = []).Add(tenantId);
                        }
                    }
                }).ConfigureAwait(false);
        }

        var silosView = silos.Select(silo => new SiloResponse(
            silo.Heartbeat.SiloId,
            silo.IsLive,
            silo.Heartbeat.Endpoint,
            silo.Heartbeat.StartedAt,
            silo.Heartbeat.LastHeartbeat,
            silo.Heartbeat.OwnedTenants,
            silo.Heartbeat.Version,
            tenantsBySilo is null ? null : (tenantsBySilo.GetValueOrDefault(silo.Heartbeat.SiloId) ?? []).Order(StringComparer.Ordinal).ToList()))
            .ToList();
        return new ClusterResponse(silosView, silos.Count(silo => silo.IsLive), tenantIds.Count, owned.Count, tenantIds.Count - owned.Count);
    }
}
