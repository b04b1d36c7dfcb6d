using Azure;

namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>The blob's new ETag and last-modified time after an upload.</summary>
public sealed class BlobContentInfo
{
    public ETag ETag { get; init; }

    public DateTimeOffset LastModified { get; init; }
}
