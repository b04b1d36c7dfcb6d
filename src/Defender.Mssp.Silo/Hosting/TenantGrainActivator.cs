using Defender.Mssp.Grains;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Runtime.Storage;
using Defender.Mssp.Storage;
using Defender.Mssp.Tenants;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Silo.Hosting;

/// <summary>
/// Starts a <see cref="TenantGrain"/> for a tenant this silo has just leased. Its state is a
/// <see cref="PersistentState{TState}"/> whose every write carries the lease id, so once another silo owns the tenant
/// storage refuses this grain's writes; a write of its own that landed unseen during a storage outage does not count as
/// another writer (<see cref="InDoubtWriteResolver"/>).
/// </summary>
internal sealed class TenantGrainActivator(
    IGrainStorage storage,
    TenantGrainServices services,
    IOptions<ClusterOptions> cluster,
    ActiveGrains activeGrains,
    ILogger<TenantGrainActivation> logger,
    ILogger<InDoubtWriteResolver> storageLogger) : IGrainActivator
{
    public async Task<IGrainActivation> ActivateAsync(TenantSettings settings, ITenantOwnership ownership, CancellationToken cancellationToken)
    {
        var state = new PersistentState<TenantGrainState>(
            new InDoubtWriteResolver(storage, storageLogger), settings.TenantId, () => ownership.LeaseId);
        var grain = new TenantGrain(settings, state, services, cluster.Value.SiloId);
        var activation = await TenantGrainActivation.StartAsync(grain, ownership, cluster.Value.ActivationStopTimeout, logger, cancellationToken)
            .ConfigureAwait(false);
        activeGrains.Add(grain, activation.Completion);
        return activation;
    }
}
