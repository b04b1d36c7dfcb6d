using Microsoft.Extensions.Logging;

namespace Defender.Mssp.Runtime.Cluster;

internal static partial class ClusterLog
{
    [LoggerMessage(100, LogLevel.Information, "Silo {SiloId} joined the cluster (lease {LeaseDuration}, renewal every {RenewalPeriod}, balancing every {BalancingInterval})")]
    public static partial void Joined(ILogger logger, string siloId, TimeSpan leaseDuration, TimeSpan renewalPeriod, TimeSpan balancingInterval);

    [LoggerMessage(101, LogLevel.Information, "Silo {SiloId} left the cluster gracefully; handed over {Count} tenants")]
    public static partial void Left(ILogger logger, string siloId, int count);

    [LoggerMessage(102, LogLevel.Warning, "Silo {SiloId} abandoned its {Count} tenants without releasing their leases")]
    public static partial void Abandoned(ILogger logger, string siloId, int count);

    [LoggerMessage(103, LogLevel.Information, "Balancing: {LiveSilos} live silos, {Tenants} tenants, fair share {FairShare}; claimed {Claimed}, released {Released}, removed {Removed}; owning {Owned}")]
    public static partial void Balanced(ILogger logger, int liveSilos, int tenants, int fairShare, int claimed, int released, int removed, int owned);

    [LoggerMessage(104, LogLevel.Error, "Cluster {Loop} loop iteration failed; retrying next interval")]
    public static partial void LoopFailed(ILogger logger, Exception exception, string loop);

    [LoggerMessage(110, LogLevel.Information, "Claimed tenant {TenantId} ({BlobName})")]
    public static partial void Claimed(ILogger logger, string tenantId, string blobName);

    [LoggerMessage(111, LogLevel.Warning, "Could not claim tenant {TenantId}; trying others")]
    public static partial void ClaimFailed(ILogger logger, Exception exception, string tenantId);

    [LoggerMessage(112, LogLevel.Error, "Activation of tenant {TenantId} failed; releasing its lease")]
    public static partial void ActivationFailed(ILogger logger, Exception exception, string tenantId);

    [LoggerMessage(113, LogLevel.Information, "Handed over tenant {TenantId} (released: {Released})")]
    public static partial void HandedOver(ILogger logger, string tenantId, bool released);

    [LoggerMessage(114, LogLevel.Warning, "Lost the lease of tenant {TenantId}: {Reason}; its activation is aborted")]
    public static partial void LeaseLost(ILogger logger, string tenantId, string? reason);

    [LoggerMessage(115, LogLevel.Error, "The activation of tenant {TenantId} did not stop within {Timeout}")]
    public static partial void ActivationStuck(ILogger logger, string tenantId, TimeSpan timeout);

    [LoggerMessage(116, LogLevel.Warning, "Stopping the activation of tenant {TenantId} failed")]
    public static partial void StopFailed(ILogger logger, Exception exception, string tenantId);

    [LoggerMessage(117, LogLevel.Warning, "Activation of tenant {TenantId} ended on its own; releasing its lease")]
    public static partial void ActivationEnded(ILogger logger, Exception? exception, string tenantId);

    [LoggerMessage(118, LogLevel.Warning, "Releasing the lease of tenant {TenantId} failed; it expires by itself")]
    public static partial void ReleaseFailed(ILogger logger, Exception exception, string tenantId);

    [LoggerMessage(119, LogLevel.Warning, "Renewing the lease of tenant {TenantId} failed; retrying in {RetryIn}")]
    public static partial void RenewalFailed(ILogger logger, Exception exception, string tenantId, TimeSpan retryIn);

    [LoggerMessage(121, LogLevel.Warning, "Lease renewals are falling behind: {Late} renewals started {LateAfter} or more after they were due in the last {Window} (worst {WorstLag}); {Held} leases held, {InFlight} renewals in flight (at most {MaxConcurrent}). A lease is lost at {LostAfter} late: check storage latency, raise Cluster:MaxConcurrentLeaseRenewals or spread the tenants over more silos")]
    public static partial void RenewalsBehind(
        ILogger logger, int late, TimeSpan lateAfter, TimeSpan window, TimeSpan worstLag, int held, int inFlight, int maxConcurrent, TimeSpan lostAfter);

    [LoggerMessage(120, LogLevel.Debug, "Settings of tenant {TenantId} changed; updating its activation")]
    public static partial void SettingsUpdated(ILogger logger, string tenantId);

    [LoggerMessage(130, LogLevel.Information, "Removed the stale heartbeat of silo {SiloId} (last seen {LastHeartbeat:o})")]
    public static partial void StaleSiloRemoved(ILogger logger, string siloId, DateTimeOffset lastHeartbeat);

    [LoggerMessage(131, LogLevel.Warning, "Heartbeat blob {BlobName} is unreadable; ignoring it")]
    public static partial void UnreadableHeartbeat(ILogger logger, string blobName, Exception? exception);

    [LoggerMessage(132, LogLevel.Warning, "Could not delete this silo's heartbeat {SiloId}; others will see it go stale")]
    public static partial void HeartbeatDeleteFailed(ILogger logger, Exception exception, string siloId);
}
