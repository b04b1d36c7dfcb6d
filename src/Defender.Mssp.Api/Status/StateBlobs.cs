using Azure;
using Defender.Mssp.Runtime.Storage.Blobs;

namespace Defender.Mssp.Api.Status;

/// <summary>The grain state blobs as listed: which tenants' states exist and which are leased (owned by a silo).</summary>
public sealed class StateBlobs(BlobContainerClient container, string statePrefix)
{
    private const string Extension = ".json";

    /// <summary>Lease state by tenant id, from one listing (filtered to <paramref name="tenantId"/> when given).</summary>
    public async Task<Dictionary<string, bool>> ListLeasesAsync(string? tenantId, CancellationToken cancellationToken)
    {
        var leases = new Dictionary<string, bool>(StringComparer.Ordinal);
        var prefix = tenantId is null ? statePrefix : statePrefix + tenantId + Extension;
        try
        {
            await foreach (var item in container.GetBlobsAsync(prefix: prefix, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (item.Name.EndsWith(Extension, StringComparison.Ordinal) && item.Name.Length > statePrefix.Length + Extension.Length)
                {
                    leases[item.Name[statePrefix.Length..^Extension.Length]] = item.Properties.LeaseState is LeaseState.Leased;
                }
            }
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
        }

        return leases;
    }
}
