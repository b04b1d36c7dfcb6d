using Defender.Mssp.Tenants;

namespace Defender.Mssp.Runtime.Cluster;

/// <summary>
/// The tenants the cluster should be polling, as the silos' balancing rounds see them. Each round lists it afresh, so
/// a tenant added or removed here is claimed, or stopped and released, within one balancing interval.
/// </summary>
public interface ITenantCatalog
{
    /// <summary>Every tenant with its current settings; tenant ids are unique.</summary>
    ValueTask<IReadOnlyList<TenantSettings>> ListAsync(CancellationToken cancellationToken);
}
