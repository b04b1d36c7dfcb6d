namespace Defender.Mssp.Runtime.Cluster;

/// <summary>What a renewal attempt did (a failure that leaves the lease held is thrown instead).</summary>
internal enum LeaseRenewal
{
    /// <summary>Storage renewed the lease; its safety deadline moved.</summary>
    Renewed,

    /// <summary>Nothing sent: the lease was renewed (or acquired) recently by another caller.</summary>
    NotDue,

    /// <summary>The lease is not held: lost (now or before) or released.</summary>
    NotHeld,
}
