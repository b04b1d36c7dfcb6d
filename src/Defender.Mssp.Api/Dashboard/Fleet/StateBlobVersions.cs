using Azure;
using Defender.Mssp.Runtime.Storage.Blobs;

namespace Defender.Mssp.Api.Dashboard.Fleet;

/// <summary>
/// Lists the grain state blobs (<c>{statePrefix}{tenantId}.json</c>) with the ETag and lease of each, in one listing,
/// so the fleet read can tell which states changed and which tenants a silo owns without opening any blob.
/// </summary>
internal sealed class StateBlobVersions(BlobContainerClient container, string statePrefix)
{
    private const string Extension = ".json";

    public async Task<Dictionary<string, (string ETag, bool Leased)>> ListAsync(CancellationToken cancellationToken)
    {
        var states = new Dictionary<string, (string, bool)>(StringComparer.Ordinal);
        try
        {
            await foreach (var item in container.GetBlobsAsync(prefix: statePrefix, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (item.Name.EndsWith(Extension, StringComparison.Ordinal) && item.Name.Length > statePrefix.Length + Extension.Length)
                {
                    states[item.Name[statePrefix.Length..^Extension.Length]] =
                        (item.Properties.ETag?.ToString() ?? "", item.Properties.LeaseState is LeaseState.Leased);
                }
            }
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // No container yet: no tenant has ever been saved.
        }

        return states;
    }
}
