using Azure;
using Defender.Mssp.Runtime.Storage.Blobs;

namespace Defender.Mssp.Api.Tests.Infrastructure;

/// <summary>Every blob of a container with its ETag, to show that a request changed nothing.</summary>
public sealed record StorageSnapshot(IReadOnlyDictionary<string, string> Blobs)
{
    public static async Task<StorageSnapshot> TakeAsync(BlobContainerClient container)
    {
        var blobs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        try
        {
            await foreach (var item in container.GetBlobsAsync())
            {
                blobs[item.Name] = item.Properties.ETag?.ToString() ?? "";
            }
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
        }

        return new StorageSnapshot(blobs);
    }

    /// <summary>Tenant documents and state only: the Data Protection key ring may grow on first use.</summary>
    public StorageSnapshot WithoutKeyRing() =>
        new(Blobs.Where(pair => !pair.Key.StartsWith("dataprotection/", StringComparison.Ordinal)).ToDictionary());

    public bool SameAs(StorageSnapshot other) =>
        Blobs.Count == other.Blobs.Count && Blobs.All(pair => other.Blobs.TryGetValue(pair.Key, out var etag) && etag == pair.Value);

    /// <summary>The text of every blob, to search for what must never be stored.</summary>
    public static async Task<IReadOnlyList<(string Name, string Text)>> ReadAllAsync(BlobContainerClient container)
    {
        var result = new List<(string, string)>();
        await foreach (var item in container.GetBlobsAsync())
        {
            var download = await container.GetBlobClient(item.Name).DownloadContentAsync();
            result.Add((item.Name, download.Value.Content.ToString()));
        }

        return result;
    }
}
