using Defender.Mssp.Grains.State;
using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Runtime.Tenants;

namespace Defender.Mssp.Api.Dashboard.Fleet;

/// <summary>
/// The whole fleet as storage showed it at <see cref="At"/>: the membership table and every tenant with its desired
/// state, its grain state and whether a silo holds its lease. Read-only; shared by every viewer and the history.
/// </summary>
public sealed record FleetSnapshot(DateTimeOffset At, IReadOnlyList<SiloEntry> Silos, IReadOnlyList<FleetTenant> Tenants);

/// <summary>
/// One tenant of a <see cref="FleetSnapshot"/>. <see cref="Document"/> is null for a tenant a silo runs from its own
/// configuration (not managed through the API); <see cref="State"/> is null before its first save.
/// </summary>
public sealed record FleetTenant(string TenantId, TenantDocument? Document, TenantGrainState? State, bool Leased)
{
    /// <summary>The sources the tenant is configured to read: its document's, or for a silo-configured tenant the ones it has state for.</summary>
    public IEnumerable<string> ConfiguredSources =>
        Document?.Sources ?? (IEnumerable<string>?)State?.Sources.Keys ?? [];
}
