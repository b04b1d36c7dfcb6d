namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>One entry of a blob listing.</summary>
public sealed class BlobItem
{
    public required string Name { get; init; }

    public required BlobItemProperties Properties { get; init; }

    /// <summary>The blob's metadata when listed with <see cref="BlobTraits.Metadata"/>; otherwise empty.</summary>
    public IDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
