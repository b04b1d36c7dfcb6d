using Defender.Mssp.Storage;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Runtime.Cluster;

/// <summary>One running grain, as the cluster controls it.</summary>
public interface IGrainActivation
{
    /// <summary>
    /// Completes when the grain has stopped, for whatever reason, and will touch nothing more. Faulted with
    /// <see cref="LeaseLostException"/> when storage fenced a write: the cluster then knows the lease is gone.
    /// </summary>
    Task Completion { get; }

    /// <summary>
    /// Stops the grain gracefully: finishes or aborts the current turn without delivering past its checkpoint, then
    /// persists its state (with the lease still held). The cluster releases the lease only after this returns.
    /// </summary>
    Task StopAsync(CancellationToken cancellationToken);

    /// <summary>Hands the grain the tenant's changed settings; its next turn uses them.</summary>
    void UpdateSettings(TenantSettings settings);
}
