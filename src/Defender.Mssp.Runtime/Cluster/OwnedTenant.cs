using Defender.Mssp.Tenants;

namespace Defender.Mssp.Runtime.Cluster;

/// <summary>A tenant this silo holds the lease of: its lease, its activation once started, and its supervision.</summary>
internal sealed class OwnedTenant(TenantSettings settings, TenantLease lease)
{
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string TenantId => Lease.TenantId;

    public TenantLease Lease { get; } = lease;

    /// <summary>The settings the activation was last given.</summary>
    public TenantSettings Settings { get; set; } = settings;

    /// <summary>Set once the activator returned; null while activating.</summary>
    public IGrainActivation? Activation { get; set; }

    /// <summary>Ends when the activation has ended and the lease is released or given up.</summary>
    public Task Supervision { get; set; } = Task.CompletedTask;

    public Task StopRequested => _stopRequested.Task;

    /// <summary>Counts towards this silo's share: held, running and not being handed over.</summary>
    public bool IsActive => Lease.IsHeld && Activation is not null && !StopRequested.IsCompleted;

    /// <summary>Asks the supervision to hand the tenant over: stop the activation gracefully, then release.</summary>
    public void RequestStop() => _stopRequested.TrySetResult();
}
