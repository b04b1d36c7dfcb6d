using Microsoft.Extensions.Options;

namespace Defender.Mssp.Sinks;

/// <summary>Tenant overrides from configuration: <c>Sinks:Tenants:{tenantId}</c>, naming sinks of <c>Sinks:Definitions</c>.</summary>
public sealed class ConfigurationTenantSinkOverrides(IOptionsMonitor<RecordSinksOptions> options) : ITenantSinkOverrides
{
    public ValueTask<TenantSinkOverride?> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        if (!current.Tenants.TryGetValue(tenantId, out var tenant))
        {
            return ValueTask.FromResult<TenantSinkOverride?>(null);
        }

        // Validation at start guarantees the names; a reload that broke one skips it rather than failing every batch.
        var sinks = tenant.Sinks.Select(name => current.Definitions.GetValueOrDefault(name)).OfType<SinkDefinition>().ToList();
        return ValueTask.FromResult<TenantSinkOverride?>(new TenantSinkOverride(tenant.Mode, sinks));
    }
}
