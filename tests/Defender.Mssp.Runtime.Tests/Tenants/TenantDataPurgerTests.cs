using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.Runtime.Tenants;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Runtime.Tests.Tenants;

[Collection(AzuriteFixture.CollectionName)]
public sealed class TenantDataPurgerTests(AzuriteFixture azurite) : IDisposable
{
    private static CancellationToken Ct => CancellationToken.None;

    private readonly string _sink = Path.Combine(Path.GetTempPath(), "purger-tests", Guid.NewGuid().ToString("N"));
    private readonly string _tenantId = Documents.NewTenantId();

    public void Dispose()
    {
        if (Directory.Exists(_sink))
        {
            Directory.Delete(_sink, recursive: true);
        }
    }

    [Fact]
    public async Task Purge_deletes_the_state_blob_and_the_tenants_sink_folder_only()
    {
        var container = await azurite.CreateContainerAsync();
        await container.GetBlobClient($"state/{_tenantId}.json").UploadAsync(BinaryData.FromString("{}"));
        var other = Documents.NewTenantId();
        await container.GetBlobClient($"state/{other}.json").UploadAsync(BinaryData.FromString("{}"));
        WriteSinkFile(_tenantId);
        WriteSinkFile(other);

        var result = await Purger(container).PurgeAsync(_tenantId, Ct);

        Assert.Equal(new TenantPurgeResult(StateDeleted: true, DeliveredDataDeleted: true, LeaseBroken: false), result);
        Assert.False((await container.GetBlobClient($"state/{_tenantId}.json").ExistsAsync(Ct)).Value);
        Assert.True((await container.GetBlobClient($"state/{other}.json").ExistsAsync(Ct)).Value);
        Assert.False(Directory.Exists(Path.Combine(_sink, _tenantId)));
        Assert.True(Directory.Exists(Path.Combine(_sink, other)));
    }

    [Fact]
    public async Task Purge_also_deletes_the_tenants_folder_under_every_other_data_root()
    {
        var container = await azurite.CreateContainerAsync();
        var csv = Path.Combine(_sink, "csv");
        var deadLetter = Path.Combine(_sink, "dead-letter");
        var other = Documents.NewTenantId();
        foreach (var root in new[] { csv, deadLetter })
        {
            Directory.CreateDirectory(Path.Combine(root, _tenantId));
            Directory.CreateDirectory(Path.Combine(root, other));
        }

        var options = new TenantPurgeOptions { SinkPath = Path.Combine(_sink, "jsonl"), ReleaseTimeout = TimeSpan.FromSeconds(1) };
        options.DataPaths.AddRange([csv, deadLetter]);

        var result = await new TenantDataPurger(container, "state/", options).PurgeAsync(_tenantId, Ct);

        Assert.True(result.DeliveredDataDeleted);
        Assert.False(Directory.Exists(Path.Combine(csv, _tenantId)));
        Assert.False(Directory.Exists(Path.Combine(deadLetter, _tenantId)));
        Assert.True(Directory.Exists(Path.Combine(csv, other)));
        Assert.True(Directory.Exists(Path.Combine(deadLetter, other)));
    }

    [Fact]
    public async Task Purge_deletes_the_tenants_folder_in_each_of_its_own_file_sinks_and_nothing_outside_their_root()
    {
        var container = await azurite.CreateContainerAsync();
        var root = Path.Combine(_sink, "tenant-sinks");
        var other = Documents.NewTenantId();
        foreach (var folder in new[] { "contoso/records", "contoso-csv" })
        {
            Directory.CreateDirectory(Path.Combine(root, folder, _tenantId));
            Directory.CreateDirectory(Path.Combine(root, folder, other));
        }

        // A folder that climbs out of the root names the tenant's folder beside it: never deleted.
        var outside = Path.Combine(_sink, "outside");
        Directory.CreateDirectory(Path.Combine(outside, _tenantId));
        var options = new TenantPurgeOptions { SinkPath = Path.Combine(_sink, "jsonl"), TenantSinkFolderRoot = root, ReleaseTimeout = TimeSpan.FromSeconds(1) };

        var result = await new TenantDataPurger(container, "state/", options)
            .PurgeAsync(_tenantId, ["contoso/records", "contoso-csv", "../outside"], Ct);

        Assert.True(result.DeliveredDataDeleted);
        Assert.False(Directory.Exists(Path.Combine(root, "contoso/records", _tenantId)));
        Assert.False(Directory.Exists(Path.Combine(root, "contoso-csv", _tenantId)));
        Assert.True(Directory.Exists(Path.Combine(root, "contoso/records", other)));
        Assert.True(Directory.Exists(Path.Combine(root, "contoso-csv", other)));
        Assert.True(Directory.Exists(Path.Combine(outside, _tenantId)));
    }

    [Fact]
    public async Task Without_a_tenant_sink_root_the_tenants_own_file_sinks_are_left_alone()
    {
        var container = await azurite.CreateContainerAsync();
        Directory.CreateDirectory(Path.Combine(_sink, "contoso", _tenantId));
        var options = new TenantPurgeOptions { SinkPath = Path.Combine(_sink, "jsonl"), ReleaseTimeout = TimeSpan.FromSeconds(1) };

        var result = await new TenantDataPurger(container, "state/", options).PurgeAsync(_tenantId, ["contoso"], Ct);

        Assert.False(result.DeliveredDataDeleted);
        Assert.True(Directory.Exists(Path.Combine(_sink, "contoso", _tenantId)));
    }

    [Fact]
    public async Task Purging_what_is_not_there_is_no_error()
    {
        var result = await Purger(azurite.NewContainer()).PurgeAsync(_tenantId, Ct);

        Assert.Equal(new TenantPurgeResult(false, false, false), result);
    }

    [Fact]
    public async Task A_lease_released_in_time_is_waited_for()
    {
        var container = await azurite.CreateContainerAsync();
        var state = container.GetBlobClient($"state/{_tenantId}.json");
        await state.UploadAsync(BinaryData.FromString("{}"));
        var lease = state.GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(60), cancellationToken: Ct);

        var purge = Purger(container, TimeSpan.FromSeconds(30)).PurgeAsync(_tenantId, Ct);
        await lease.ReleaseAsync(cancellationToken: Ct);
        var result = await purge;

        Assert.Equal(new TenantPurgeResult(StateDeleted: true, DeliveredDataDeleted: false, LeaseBroken: false), result);
    }

    [Fact]
    public async Task A_lease_the_owner_keeps_past_the_timeout_is_broken_and_fences_the_owner()
    {
        var container = await azurite.CreateContainerAsync();
        var state = container.GetBlobClient($"state/{_tenantId}.json");
        await state.UploadAsync(BinaryData.FromString("{}"));
        var lease = state.GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(60), cancellationToken: Ct);

        var result = await Purger(container, TimeSpan.FromMilliseconds(300)).PurgeAsync(_tenantId, Ct);

        Assert.True(result.LeaseBroken);
        Assert.True(result.StateDeleted);
        await Assert.ThrowsAnyAsync<Azure.RequestFailedException>(() => lease.RenewAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task Only_canonical_tenant_ids_are_purged()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Purger(azurite.NewContainer()).PurgeAsync("..", Ct));
    }

    private TenantDataPurger Purger(BlobContainerClient container, TimeSpan? releaseTimeout = null) =>
        new(container, "state/", new TenantPurgeOptions
        {
            SinkPath = _sink,
            ReleaseTimeout = releaseTimeout ?? TimeSpan.FromSeconds(1),
            ReleaseCheckInterval = TimeSpan.FromMilliseconds(50),
        });

    private void WriteSinkFile(string tenantId)
    {
        Directory.CreateDirectory(Path.Combine(_sink, tenantId));
        File.WriteAllText(Path.Combine(_sink, tenantId, "incidents.jsonl"), "{}\n");
    }
}
