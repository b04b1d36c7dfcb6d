using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Tenants;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Silo.Tenants;

/// <summary>
/// The tenants of the <c>Tenants</c> configuration section, as the cluster's balancing rounds read them: every silo of
/// the cluster is given the same list, and each runs only the tenants it holds the lease of. Follows configuration
/// reloads. The silo combines it with the management API's catalogue, which wins for a tenant in both.
/// </summary>
internal sealed class ConfiguredTenantCatalog(IOptionsMonitor<ConfiguredTenantsOptions> tenants) : ITenantCatalog
{
    public ValueTask<IReadOnlyList<TenantSettings>> ListAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<TenantSettings>>(
            tenants.CurrentValue.Tenants.Select(tenant => tenant.ToSettings()).ToList());
}
