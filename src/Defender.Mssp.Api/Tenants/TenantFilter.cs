using Defender.Mssp.Grains.State;

namespace Defender.Mssp.Api.Tenants;

/// <summary>What <c>GET /tenants</c> narrows the list to; null members do not filter.</summary>
public sealed record TenantFilter(TenantHealth? Health, bool? Paused, string? Source)
{
    public bool NeedsState => Health is not null;
}
