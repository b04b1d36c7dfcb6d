namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>A blob's whole content with its properties, as one consistent read.</summary>
public sealed class BlobDownloadResult
{
    public required BinaryData Content { get; init; }

    public required BlobDownloadDetails Details { get; init; }
}
