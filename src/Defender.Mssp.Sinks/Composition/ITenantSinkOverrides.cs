namespace Defender.Mssp.Sinks;

/// <summary>
/// Where tenants' own sink settings come from. The default reads configuration (<c>Sinks:Tenants:{tenantId}</c>,
/// <see cref="ConfigurationTenantSinkOverrides"/>); the management API can supply its own (tenants' sinks stored with
/// their settings) by registering an implementation before or instead of it.
/// </summary>
/// <remarks>
/// Called once per delivered batch: implementations should answer from memory (a cache refreshed in the background).
/// The definitions may be new objects on every call; sink instances are shared by <see cref="SinkDefinition.Fingerprint"/>.
/// </remarks>
public interface ITenantSinkOverrides
{
    /// <summary>The tenant's override, or null when the tenant uses the default sinks.</summary>
    ValueTask<TenantSinkOverride?> GetAsync(string tenantId, CancellationToken cancellationToken);
}
