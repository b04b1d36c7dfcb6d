using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Storage;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Runtime.Tests.Cluster;

/// <summary>Activates <see cref="FakeActivation"/>s for one member; tenants in <see cref="Failing"/> fail to activate.</summary>
internal sealed class FakeActivator(string siloId, IGrainStorage storage, ActivationLedger ledger) : IGrainActivator
{
    public HashSet<string> Failing { get; } = [];

    public async Task<IGrainActivation> ActivateAsync(TenantSettings settings, ITenantOwnership ownership, CancellationToken cancellationToken)
    {
        if (Failing.Contains(settings.TenantId))
        {
            throw new InvalidOperationException($"Activation of {settings.TenantId} fails on purpose.");
        }

        var activation = new FakeActivation(siloId, settings, ownership, storage, ledger);
        await activation.StartAsync(cancellationToken);
        return activation;
    }
}
