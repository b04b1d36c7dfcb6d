using System.Collections.Frozen;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Silo.Hosting;

/// <summary>
/// The sinks each tenant's stored settings give it, as of the silo's latest read of the tenant catalogue
/// (<see cref="SinkObservingTenantCatalog"/>). A balancing round reads the catalogue before it activates a tenant's
/// grain, so the grain's first delivery already sees its sinks; a change through the API arrives with the same read
/// that hands the grain its new settings.
/// </summary>
internal sealed class TenantSinkDirectory
{
    private volatile FrozenDictionary<string, TenantSinks> _sinks = FrozenDictionary<string, TenantSinks>.Empty;

    /// <summary>The tenant's own sinks, or null when its settings have none (or the tenant is not in the catalogue).</summary>
    public TenantSinks? Get(string tenantId) => _sinks.GetValueOrDefault(tenantId);

    /// <summary>
    /// Takes the sinks of every tenant in <paramref name="tenants"/>. A tenant missing from the read (its document
    /// unreadable for a moment, or deleted) keeps its last known sinks: its grain may deliver a last batch while it is
    /// being stopped, and that batch must not go to the default sinks instead of the tenant's own.
    /// </summary>
    public void Update(IReadOnlyList<TenantSettings> tenants)
    {
        var listed = tenants.Select(tenant => tenant.TenantId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var next = _sinks.Where(pair => !listed.Contains(pair.Key)).ToDictionary(StringComparer.OrdinalIgnoreCase);
        foreach (var tenant in tenants.Where(tenant => tenant.Sinks is not null))
        {
            next[tenant.TenantId] = tenant.Sinks!;
        }

        _sinks = next.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
