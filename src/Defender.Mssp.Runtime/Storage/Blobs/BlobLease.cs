using Azure;

namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>The outcome of a lease operation.</summary>
public sealed class BlobLease
{
    public ETag ETag { get; init; }

    public DateTimeOffset LastModified { get; init; }

    /// <summary>The lease id now in force (acquire, renew, change); null after a break.</summary>
    public string? LeaseId { get; init; }

    /// <summary>After a break: seconds until the lease is broken (0 = broken now).</summary>
    public int? LeaseTime { get; init; }
}
