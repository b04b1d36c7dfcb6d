using Azure;

namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>
/// Preconditions of a blob operation: Azure.Core's ETag and date conditions plus the lease id, as Azure.Storage.Blobs'
/// type of the same name. <c>IfNoneMatch = ETag.All</c> means "only if the blob does not exist yet"; a
/// <see cref="LeaseId"/> makes a write on a leased blob succeed only while that lease is the active one.
/// </summary>
public class BlobRequestConditions : RequestConditions
{
    public string? LeaseId { get; set; }
}
