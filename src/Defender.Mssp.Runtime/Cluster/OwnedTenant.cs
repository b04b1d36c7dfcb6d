using Defender.Mssp.Tenants;

namespace Defender.Mssp.Runtime.Cluster;

/// <summary>A tenant this silo holds the lease of: its lease, its activation once started, and its supervision.</summary>
internal sealed class OwnedTenant(TenantSettings settings, TenantLease lease)
{
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _renewalDueAt;
    private int _renewing;

    public string TenantId => Lease.TenantId;

    public TenantLease Lease { get; } = lease;

    /// <summary>The settings the activation was last given.</summary>
    public TenantSettings Settings { get; set; } = settings;

    /// <summary>Set once the activator returned; null while activating.</summary>
    public IGrainActivation? Activation { get; set; }

    /// <summary>Ends when the activation has ended and the lease is released or given up.</summary>
    public Task Supervision { get; set; } = Task.CompletedTask;

    public Task StopRequested => _stopRequested.Task;

    /// <summary>When the next renewal is due (a timestamp of the cluster's clock); set by the renewal scheduler.</summary>
    public long RenewalDueAt
    {
        get => Interlocked.Read(ref _renewalDueAt);
        set => Interlocked.Exchange(ref _renewalDueAt, value);
    }

    /// <summary>A renewal of this lease is in flight: the scheduler does not start another.</summary>
    public bool IsRenewing => Volatile.Read(ref _renewing) == 1;

    /// <summary>Claims the right to renew now; false when a renewal is already in flight.</summary>
    public bool TryBeginRenewal() => Interlocked.CompareExchange(ref _renewing, 1, 0) == 0;

    public void EndRenewal() => Volatile.Write(ref _renewing, 0);

    /// <summary>Counts towards this silo's share: held, running and not being handed over.</summary>
    public bool IsActive => Lease.IsHeld && Activation is not null && !StopRequested.IsCompleted;

    /// <summary>Asks the supervision to hand the tenant over: stop the activation gracefully, then release.</summary>
    public void RequestStop() => _stopRequested.TrySetResult();
}
