using Azure;
using Defender.Mssp.Runtime.Storage.Blobs;

namespace Defender.Mssp.Runtime.Cluster;

/// <summary>Tells a definite "this lease is not (or no longer) yours" from a failure worth retrying.</summary>
internal static class LeaseRefusals
{
    /// <summary>
    /// 409 and 412 on a lease operation mean another lease is active, the lease was broken, or ours is not the
    /// active one; 404 means the blob (and so its lease) is gone. Outages, throttling and timeouts are not refusals:
    /// the lease may well still be held, and the expiry deadline decides if they last too long.
    /// </summary>
    public static bool IsRefusal(RequestFailedException exception) =>
        exception.Status is 409 or 412
        || exception.Status == 404 && exception.ErrorCode is BlobErrorCode.BlobNotFound or BlobErrorCode.ContainerNotFound;

    /// <summary>The state blob is leased by someone else right now (or its lease is being broken).</summary>
    public static bool IsHeldElsewhere(RequestFailedException exception) =>
        exception.Status == 409
        && exception.ErrorCode is BlobErrorCode.LeaseAlreadyPresent or BlobErrorCode.LeaseIsBreakingAndCannotBeAcquired;
}
