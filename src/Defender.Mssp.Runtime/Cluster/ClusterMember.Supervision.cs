using Azure;
using Defender.Mssp.Storage;

namespace Defender.Mssp.Runtime.Cluster;

public sealed partial class ClusterMember
{
    /// <summary>
    /// Watches one owned tenant until it is no longer owned: a hand-over request (stop gracefully, then release), a
    /// lost lease (the activation is aborting through its token; wait for it, release nothing), or the activation
    /// ending by itself (fenced by storage: the lease is gone; otherwise release it so the tenant is claimed afresh).
    /// The tenant stays in the owned table until its activation has ended, so it is never claimed again here while
    /// the previous activation could still act.
    /// </summary>
    private async Task SuperviseAsync(OwnedTenant owned)
    {
        var activation = owned.Activation!;
        var lease = owned.Lease;
        try
        {
            var first = await Task.WhenAny(activation.Completion, lease.WhenLost, owned.StopRequested).ConfigureAwait(false);
            if (lease.WhenLost.IsCompleted)
            {
                await OnLeaseLostAsync(owned).ConfigureAwait(false);
            }
            else if (first == owned.StopRequested)
            {
                await HandOverAsync(owned).ConfigureAwait(false);
            }
            else
            {
                await OnActivationEndedAsync(owned).ConfigureAwait(false);
            }
        }
        finally
        {
            _owned.TryRemove(KeyValuePair.Create(owned.TenantId, owned));
            _metrics?.GrainDeactivated(SiloId);
            CountEnd(lease);
        }
    }

    /// <summary>Counts how a lease ended: lost (never released) or handed back.</summary>
    private void CountEnd(TenantLease lease)
    {
        if (lease.LossReason is not null)
        {
            _metrics?.LeaseLost(SiloId);
        }
        else if (!lease.IsHeld)
        {
            _metrics?.LeaseReleased(SiloId);
        }
    }

    private async Task HandOverAsync(OwnedTenant owned)
    {
        var activation = owned.Activation!;
        using var timeout = new CancellationTokenSource(_options.ActivationStopTimeout, _time);
        try
        {
            await activation.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            ClusterLog.StopFailed(_logger, e, owned.TenantId);
        }

        if (!await EndedWithinAsync(activation, timeout.Token).ConfigureAwait(false))
        {
            // Releasing now could let another silo start while this activation still acts: keep the lease unreleased
            // and stop renewing it; it expires, and storage fences whatever the stuck activation still tries.
            owned.Lease.MarkLost("the activation did not stop in time");
            ClusterLog.ActivationStuck(_logger, owned.TenantId, _options.ActivationStopTimeout);
            return;
        }

        if (IsFenced(activation.Completion))
        {
            owned.Lease.MarkLost("storage rejected a write");
            ClusterLog.LeaseLost(_logger, owned.TenantId, owned.Lease.LossReason);
            return;
        }

        var released = await ReleaseQuietlyAsync(owned.Lease).ConfigureAwait(false);
        ClusterLog.HandedOver(_logger, owned.TenantId, released);
    }

    private async Task OnLeaseLostAsync(OwnedTenant owned)
    {
        ClusterLog.LeaseLost(_logger, owned.TenantId, owned.Lease.LossReason);
        using var timeout = new CancellationTokenSource(_options.ActivationStopTimeout, _time);
        if (!await EndedWithinAsync(owned.Activation!, timeout.Token).ConfigureAwait(false))
        {
            ClusterLog.ActivationStuck(_logger, owned.TenantId, _options.ActivationStopTimeout);
        }
    }

    private async Task OnActivationEndedAsync(OwnedTenant owned)
    {
        var completion = owned.Activation!.Completion;
        if (IsFenced(completion))
        {
            owned.Lease.MarkLost("storage rejected a write");
            ClusterLog.LeaseLost(_logger, owned.TenantId, owned.Lease.LossReason);
            return;
        }

        ClusterLog.ActivationEnded(_logger, completion.Exception?.GetBaseException(), owned.TenantId);
        await ReleaseQuietlyAsync(owned.Lease).ConfigureAwait(false);
    }

    /// <summary>Releases the lease; a failure only means it expires by itself.</summary>
    private async Task<bool> ReleaseQuietlyAsync(TenantLease lease)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_options.ActivationStopTimeout, _time);
            return await lease.ReleaseAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException)
        {
            ClusterLog.ReleaseFailed(_logger, e, lease.TenantId);
            return false;
        }
    }

    private static async Task<bool> EndedWithinAsync(IGrainActivation activation, CancellationToken timeout)
    {
        try
        {
            await activation.Completion.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !activation.Completion.IsCompleted)
        {
            return false;
        }
        catch (Exception)
        {
            // The activation's own failure; observed here, judged by the caller.
        }

        return true;
    }

    private static bool IsFenced(Task completion) =>
        completion.Exception?.InnerExceptions.Any(e => e is LeaseLostException) == true;
}
