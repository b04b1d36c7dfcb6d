using Defender.Mssp.Tenants;

namespace Defender.Mssp.Runtime.Cluster;

/// <summary>
/// Starts a tenant's grain once the cluster has made this silo its owner. The seam between placement (which knows
/// leases, never grains) and the grain host (which knows grains, never leases).
/// </summary>
public interface IGrainActivator
{
    /// <summary>
    /// Activates the grain of <paramref name="settings"/> (reads its state) and starts it running, for as long as
    /// <paramref name="ownership"/> holds. Returns once it runs; a throw makes the cluster release the lease.
    /// </summary>
    /// <param name="ownership">Its <see cref="ITenantOwnership.LeaseId"/> goes with every state write; its
    /// <see cref="ITenantOwnership.Lost"/> token must abort the grain at once.</param>
    Task<IGrainActivation> ActivateAsync(TenantSettings settings, ITenantOwnership ownership, CancellationToken cancellationToken);
}
