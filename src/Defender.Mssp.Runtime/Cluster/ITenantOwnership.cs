namespace Defender.Mssp.Runtime.Cluster;

/// <summary>
/// This silo's ownership of one tenant: the lease it holds on the tenant's state blob. An activation passes
/// <see cref="LeaseId"/> with every state write (so storage rejects the write once another silo owns the tenant) and
/// stops at once — mid-poll included, delivering nothing more — when <see cref="Lost"/> fires.
/// </summary>
public interface ITenantOwnership
{
    string TenantId { get; }

    /// <summary>The lease id that fences state writes to the current owner.</summary>
    string LeaseId { get; }

    /// <summary>
    /// Fires when the lease is lost: a renewal was refused, storage rejected a write, or renewals failed for so long
    /// that the lease may have expired. Never fires for a graceful release.
    /// </summary>
    CancellationToken Lost { get; }
}
