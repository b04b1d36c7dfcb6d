using Azure;

namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>A container's ETag and last-modified time after it was created.</summary>
public sealed class BlobContainerInfo
{
    public ETag ETag { get; init; }

    public DateTimeOffset LastModified { get; init; }
}
