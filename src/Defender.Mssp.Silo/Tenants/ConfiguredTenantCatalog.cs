using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Tenants;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Silo.Tenants;

/// <summary>
/// The tenants of the <c>Tenants</c> configuration section, as the cluster's balancing rounds read them: every silo of
/// the cluster is given the same list, and each runs only the tenants it holds the lease of. Follows configuration
/// reloads; the management API's catalogue replaces this one later.
/// </summary>
internal sealed class ConfiguredTenantCatalog(IOptionsMonitor<ConfiguredTenantsOptions> tenants) : ITenantCatalog
{
    public ValueTask<IReadOnlyList<TenantSettings>> ListAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<TenantSettings>>(
            tenants.CurrentValue.Tenants.Select(tenant => tenant.ToSettings()).ToList());
}
