using Azure;

namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>The properties that came back with a blob's content.</summary>
public sealed class BlobDownloadDetails
{
    public ETag ETag { get; init; }

    public DateTimeOffset LastModified { get; init; }

    public string? ContentType { get; init; }

    public IDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    public LeaseState? LeaseState { get; init; }

    public LeaseStatus? LeaseStatus { get; init; }

    public LeaseDurationType? LeaseDuration { get; init; }
}
