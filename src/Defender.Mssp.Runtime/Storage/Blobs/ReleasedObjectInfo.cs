using Azure;

namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>The blob's ETag and last-modified time after its lease was released.</summary>
public sealed class ReleasedObjectInfo
{
    public ETag ETag { get; init; }

    public DateTimeOffset LastModified { get; init; }
}
