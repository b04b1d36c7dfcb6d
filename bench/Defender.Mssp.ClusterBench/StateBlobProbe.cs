using Defender.Mssp.Runtime.Storage.Blobs;

namespace Defender.Mssp.ClusterBench;

/// <summary>
/// Reads the size of the state blobs now and then (the largest seen is kept), and takes its own requests back out
/// of Azurite's counts.
/// </summary>
internal sealed class StateBlobProbe(BlobContainerClient container)
{
    private int _lists;
    private int _reads;

    public long LargestBytes { get; private set; }

    public async Task ProbeAsync()
    {
        _lists++;
        await foreach (var blob in container.GetBlobsAsync(prefix: "state/"))
        {
            _reads++;
            var content = await container.GetBlobClient(blob.Name).DownloadContentAsync();
            LargestBytes = Math.Max(LargestBytes, content.Value.Content.ToMemory().Length);
        }
    }

    public Dictionary<string, long> WithoutProbes(Dictionary<string, long> counts)
    {
        Subtract(counts, "GET (container) comp=list", _lists);
        Subtract(counts, "GET state", _reads);
        return counts;
    }

    private static void Subtract(Dictionary<string, long> counts, string key, long n)
    {
        if (counts.TryGetValue(key, out var count))
        {
            counts[key] = Math.Max(0, count - n);
        }
    }
}
