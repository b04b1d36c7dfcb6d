using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Runtime.Tenants;

/// <summary>
/// Several catalogues as one — the management API's tenants and those still written in configuration, say. Where two
/// name the same tenant (the same GUID, however spelled) the earlier catalogue wins, so a tenant moved from
/// configuration to the API is taken from the API at once.
/// </summary>
public sealed class CombinedTenantCatalog : ITenantCatalog
{
    private readonly IReadOnlyList<ITenantCatalog> _catalogs;

    /// <param name="catalogs">In order of precedence.</param>
    public CombinedTenantCatalog(params ITenantCatalog[] catalogs)
    {
        ArgumentNullException.ThrowIfNull(catalogs);
        _catalogs = catalogs;
    }

    public async ValueTask<IReadOnlyList<TenantSettings>> ListAsync(CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var tenants = new List<TenantSettings>();
        foreach (var catalog in _catalogs)
        {
            foreach (var settings in await catalog.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                if (seen.Add(TenantIds.TryNormalize(settings.TenantId, out var id) ? id : settings.TenantId))
                {
                    tenants.Add(settings);
                }
            }
        }

        return tenants;
    }
}
