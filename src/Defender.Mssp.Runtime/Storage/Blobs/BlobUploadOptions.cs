namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>Options of <see cref="BlobClient.UploadAsync(BinaryData, BlobUploadOptions, CancellationToken)"/>.</summary>
public sealed class BlobUploadOptions
{
    public BlobHttpHeaders? HttpHeaders { get; set; }

    public IDictionary<string, string>? Metadata { get; set; }

    /// <summary>ETag and lease preconditions; with none the upload overwrites unconditionally.</summary>
    public BlobRequestConditions? Conditions { get; set; }
}
