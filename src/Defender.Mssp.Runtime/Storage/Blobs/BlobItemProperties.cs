using Azure;

namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>
/// A listed blob's properties. <see cref="ETag"/> is in header form (quoted), so it compares equal to the ETag a
/// download or upload of the same version returns.
/// </summary>
public sealed class BlobItemProperties
{
    public ETag? ETag { get; init; }

    public DateTimeOffset? LastModified { get; init; }

    public long? ContentLength { get; init; }

    public string? ContentType { get; init; }

    public LeaseState? LeaseState { get; init; }

    public LeaseStatus? LeaseStatus { get; init; }

    public LeaseDurationType? LeaseDuration { get; init; }
}
