using Azure;

namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>The blob's new ETag and last-modified time after a property or metadata change.</summary>
public sealed class BlobInfo
{
    public ETag ETag { get; init; }

    public DateTimeOffset LastModified { get; init; }
}
