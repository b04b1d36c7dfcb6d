using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Silo.Hosting;

/// <summary>The silo's tenant catalogue, telling <see cref="TenantSinkDirectory"/> every tenant's sinks on each read.</summary>
internal sealed class SinkObservingTenantCatalog(ITenantCatalog inner, TenantSinkDirectory directory) : ITenantCatalog
{
    public async ValueTask<IReadOnlyList<TenantSettings>> ListAsync(CancellationToken cancellationToken)
    {
        var tenants = await inner.ListAsync(cancellationToken).ConfigureAwait(false);
        directory.Update(tenants);
        return tenants;
    }
}
