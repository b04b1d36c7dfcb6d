namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>Extra data a blob listing includes. Lease state and ETag are always listed.</summary>
[Flags]
public enum BlobTraits
{
    None = 0,
    Metadata = 1,
}
