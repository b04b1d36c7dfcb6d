using Azure;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.IntegrationTests.Chaos;

/// <summary>
/// What the outage and chaos tests may expect of a <see cref="RestartableAzurite"/>: it comes back on the same port
/// with every blob — but not with its leases. Azurite 3.37 reloads a lease's expiry time from its database as text,
/// which never compares as later than now, so after a restart every lease counts as expired (Azure never shortens a
/// lease during an outage). Tests therefore stop Azurite only for longer than a lease, when every lease has expired
/// anyway, and cut the network path instead (<see cref="TcpForwarder"/>) for shorter outages. If this test fails
/// because leases survive, Azurite was fixed and shorter restarts become faithful outages too.
/// </summary>
public sealed class RestartableAzuriteTests
{
    [Fact]
    public async Task A_restarted_Azurite_answers_on_its_port_with_its_blobs_but_its_leases_lapsed()
    {
        await using var azurite = await RestartableAzurite.StartAsync();
        var container = azurite.ServiceClient.GetBlobContainerClient(AzuriteFixture.UniqueContainerName("restart"));
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient("state/tenant.json");
        await blob.UploadAsync(BinaryData.FromString("{\"n\":1}"));
        var lease = blob.GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(60));
        var port = azurite.Port;

        await azurite.StopAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => blob.DownloadContentAsync());

        await azurite.RestartAsync();
        Assert.Equal(2, azurite.Starts);
        Assert.Equal(port, azurite.Port);
        Assert.Equal("{\"n\":1}", (await blob.DownloadContentAsync()).Value.Content.ToString());
        var listed = await SingleBlobAsync(container);
        Assert.Equal(LeaseState.Expired, listed.Properties.LeaseState);

        // Expired, not gone: as on Azure, the holder can renew a lapsed lease nobody else took, and it fences again.
        await lease.RenewAsync();
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => blob.UploadAsync(BinaryData.FromString("{}"), overwrite: true));
        Assert.Equal(412, refused.Status);
        await blob.UploadAsync(BinaryData.FromString("{\"n\":2}"), new BlobUploadOptions
        {
            Conditions = new BlobRequestConditions { LeaseId = lease.LeaseId },
        });
    }

    private static async Task<BlobItem> SingleBlobAsync(BlobContainerClient container)
    {
        var blobs = new List<BlobItem>();
        await foreach (var item in container.GetBlobsAsync(prefix: "state/"))
        {
            blobs.Add(item);
        }

        return Assert.Single(blobs);
    }
}
