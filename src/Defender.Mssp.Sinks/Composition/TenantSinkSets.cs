using Microsoft.Extensions.Options;

namespace Defender.Mssp.Sinks;

/// <summary>
/// The sinks a tenant's records go to: the default set (<c>Sinks:Default</c>) combined with the tenant's override from
/// <see cref="ITenantSinkOverrides"/> — added to it (a same-named sink replaced) or replacing it.
/// </summary>
public sealed class TenantSinkSets(IOptionsMonitor<RecordSinksOptions> options, ITenantSinkOverrides overrides)
{
    /// <summary>The tenant's sinks, in order: default sinks first, then the tenant's own.</summary>
    public async ValueTask<IReadOnlyList<SinkDefinition>> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        var defaults = current.Default.Select(name => current.Definitions.GetValueOrDefault(name)).OfType<SinkDefinition>();
        var tenant = await overrides.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (tenant is null)
        {
            return defaults.ToList();
        }

        if (tenant.Mode == SinkOverrideMode.Replace)
        {
            return tenant.Sinks.ToList();
        }

        var own = tenant.Sinks.Select(sink => sink.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. defaults.Where(sink => !own.Contains(sink.Name)), .. tenant.Sinks];
    }
}
