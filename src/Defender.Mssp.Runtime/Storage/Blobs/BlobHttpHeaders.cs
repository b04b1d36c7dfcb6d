namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>Standard HTTP properties stored with a blob.</summary>
public sealed class BlobHttpHeaders
{
    public string? ContentType { get; set; }
}
