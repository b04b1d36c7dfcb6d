using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Runtime.Storage.Blobs;

namespace Defender.Mssp.IntegrationTests.Infrastructure;

/// <summary>What the silos of a test cluster say about themselves in storage: heartbeats and the state blobs' leases.</summary>
public sealed class ClusterProbe(BlobContainerClient container)
{
    private readonly MembershipTable _membership = new(container, ClusterOptions.DefaultSiloPrefix, TimeSpan.FromSeconds(5));

    public BlobContainerClient Container { get; } = container;

    /// <summary>Owned tenant counts of the live silos, by silo id, from their latest heartbeats.</summary>
    public async Task<IReadOnlyDictionary<string, int>> OwnedBySiloAsync() =>
        (await _membership.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            .Where(entry => entry.IsLive)
            .ToDictionary(entry => entry.Heartbeat.SiloId, entry => entry.Heartbeat.OwnedTenants, StringComparer.Ordinal);

    /// <summary>Every heartbeat blob, live or not.</summary>
    public async Task<IReadOnlyList<string>> HeartbeatsAsync() =>
        (await _membership.ReadAllAsync(CancellationToken.None).ConfigureAwait(false)).Select(e => e.Heartbeat.SiloId).ToList();

    /// <summary>True when exactly <paramref name="silos"/> are live and each owns between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public async Task<bool> IsBalancedAsync(IReadOnlyCollection<string> silos, int min, int max, int total)
    {
        var owned = await OwnedBySiloAsync().ConfigureAwait(false);
        return owned.Keys.Order().SequenceEqual(silos.Order())
            && owned.Values.All(count => count >= min && count <= max)
            && owned.Values.Sum() == total;
    }

    public async Task<string> DescribeAsync() =>
        string.Join(", ", (await OwnedBySiloAsync().ConfigureAwait(false)).Select(pair => $"{pair.Key}: {pair.Value}"));

    /// <summary>The tenants whose state blob storage reports leased right now.</summary>
    public async Task<IReadOnlyList<string>> LeasedTenantsAsync()
    {
        var leased = new List<string>();
        await foreach (var blob in Container.GetBlobsAsync(prefix: "state/").ConfigureAwait(false))
        {
            if (blob.Properties.LeaseStatus == LeaseStatus.Locked)
            {
                leased.Add(blob.Name["state/".Length..^".json".Length]);
            }
        }

        return leased;
    }
}
