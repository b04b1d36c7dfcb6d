using Azure;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Runtime.Tests.Blobs;

/// <summary>Conformance of <see cref="BlobClient"/> against real Azurite.</summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class BlobClientTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private BlobContainerClient _container = null!;

    public async Task InitializeAsync() => _container = await azurite.CreateContainerAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Upload_then_download_round_trips_content_metadata_and_content_type()
    {
        var blob = _container.GetBlobClient("state/tenant-1.json");
        var uploaded = await blob.UploadAsync(BinaryData.FromString("{\"a\":1}"), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            Metadata = new Dictionary<string, string> { ["owner"] = "silo-1", ["version"] = "7" },
        }, Ct);

        var download = await blob.DownloadContentAsync(Ct);

        Assert.Equal("{\"a\":1}", download.Value.Content.ToString());
        Assert.Equal("application/json", download.Value.Details.ContentType);
        Assert.Equal("silo-1", download.Value.Details.Metadata["owner"]);
        Assert.Equal("7", download.Value.Details.Metadata["version"]);
        Assert.Equal(uploaded.Value.ETag, download.Value.Details.ETag);
        Assert.Equal(uploaded.Value.LastModified, download.Value.Details.LastModified);
        Assert.Equal(LeaseState.Available, download.Value.Details.LeaseState);
        Assert.Equal(LeaseStatus.Unlocked, download.Value.Details.LeaseStatus);
    }

    [Fact]
    public async Task Upload_without_overwrite_creates_but_never_replaces()
    {
        var blob = _container.GetBlobClient("once");
        await blob.UploadAsync(BinaryData.FromString("first"), overwrite: false, Ct);

        await BlobAssert.FailsWith(409, BlobErrorCode.BlobAlreadyExists,
            () => blob.UploadAsync(BinaryData.FromString("second"), overwrite: false, Ct));
        await blob.UploadAsync(BinaryData.FromString("third"), overwrite: true, Ct);

        Assert.Equal("third", (await blob.DownloadContentAsync(Ct)).Value.Content.ToString());
    }

    [Fact]
    public async Task Upload_with_if_none_match_all_fails_when_the_blob_exists()
    {
        var blob = _container.GetBlobClient("exists");
        await blob.UploadAsync(BinaryData.FromString("x"), Create(), Ct);

        await BlobAssert.FailsWith(409, BlobErrorCode.BlobAlreadyExists, () => blob.UploadAsync(BinaryData.FromString("y"), Create(), Ct));

        Assert.Equal("x", (await blob.DownloadContentAsync(Ct)).Value.Content.ToString());
    }

    [Fact]
    public async Task Upload_with_current_if_match_replaces_and_changes_the_etag()
    {
        var blob = _container.GetBlobClient("update");
        var first = await blob.UploadAsync(BinaryData.FromString("v1"), Create(), Ct);

        var second = await blob.UploadAsync(BinaryData.FromString("v2"), IfMatch(first.Value.ETag), Ct);

        Assert.NotEqual(first.Value.ETag, second.Value.ETag);
        Assert.Equal("v2", (await blob.DownloadContentAsync(Ct)).Value.Content.ToString());
    }

    [Fact]
    public async Task Upload_with_stale_if_match_fails_412_ConditionNotMet_and_keeps_the_newer_content()
    {
        var blob = _container.GetBlobClient("stale");
        var first = await blob.UploadAsync(BinaryData.FromString("v1"), Create(), Ct);
        await blob.UploadAsync(BinaryData.FromString("v2"), IfMatch(first.Value.ETag), Ct);

        await BlobAssert.FailsWith(412, BlobErrorCode.ConditionNotMet,
            () => blob.UploadAsync(BinaryData.FromString("v3"), IfMatch(first.Value.ETag), Ct));

        Assert.Equal("v2", (await blob.DownloadContentAsync(Ct)).Value.Content.ToString());
    }

    [Fact]
    public async Task Upload_with_if_match_on_a_missing_blob_fails()
    {
        var blob = _container.GetBlobClient("never-written");

        var e = await Assert.ThrowsAsync<RequestFailedException>(
            () => blob.UploadAsync(BinaryData.FromString("x"), IfMatch(new ETag("\"0x8D000000000000\"")), Ct));

        Assert.Equal((412, BlobErrorCode.ConditionNotMet), (e.Status, e.ErrorCode));
        Assert.False((await blob.ExistsAsync(Ct)).Value);
    }

    [Fact]
    public async Task Download_honours_if_match()
    {
        var blob = _container.GetBlobClient("conditional-read");
        var uploaded = await blob.UploadAsync(BinaryData.FromString("x"), Create(), Ct);

        var matching = await blob.DownloadContentAsync(new BlobRequestConditions { IfMatch = uploaded.Value.ETag }, Ct);
        Assert.Equal("x", matching.Value.Content.ToString());
        await BlobAssert.FailsWith(412, BlobErrorCode.ConditionNotMet,
            () => blob.DownloadContentAsync(new BlobRequestConditions { IfMatch = new ETag("\"0x8D000000000000\"") }, Ct));
    }

    [Fact]
    public async Task Download_of_a_missing_blob_fails_404_BlobNotFound()
    {
        await BlobAssert.FailsWith(404, BlobErrorCode.BlobNotFound,
            () => _container.GetBlobClient("missing").DownloadContentAsync(Ct));
    }

    [Fact]
    public async Task Operations_in_a_missing_container_fail_404_ContainerNotFound()
    {
        var blob = azurite.NewContainer().GetBlobClient("x");

        await BlobAssert.FailsWith(404, BlobErrorCode.ContainerNotFound,
            () => blob.UploadAsync(BinaryData.FromString("x"), overwrite: true, Ct));
        await BlobAssert.FailsWith(404, BlobErrorCode.ContainerNotFound, () => blob.DownloadContentAsync(Ct));
    }

    [Fact]
    public async Task Exists_tells_whether_the_blob_is_there()
    {
        var blob = _container.GetBlobClient("exists-check");
        Assert.False((await blob.ExistsAsync(Ct)).Value);

        await blob.UploadAsync(BinaryData.FromString("x"), Create(), Ct);

        Assert.True((await blob.ExistsAsync(Ct)).Value);
        Assert.False((await azurite.NewContainer().GetBlobClient("x").ExistsAsync(Ct)).Value);
    }

    [Fact]
    public async Task DeleteIfExists_deletes_once_and_then_reports_nothing_to_delete()
    {
        var blob = _container.GetBlobClient("delete-me");
        await blob.UploadAsync(BinaryData.FromString("x"), Create(), Ct);

        Assert.True((await blob.DeleteIfExistsAsync(cancellationToken: Ct)).Value);
        Assert.False((await blob.DeleteIfExistsAsync(cancellationToken: Ct)).Value);
        Assert.False((await blob.ExistsAsync(Ct)).Value);
        Assert.False((await azurite.NewContainer().GetBlobClient("x").DeleteIfExistsAsync(cancellationToken: Ct)).Value);
    }

    [Fact]
    public async Task DeleteIfExists_with_stale_if_match_fails_412_and_keeps_the_blob()
    {
        var blob = _container.GetBlobClient("delete-conditional");
        var first = await blob.UploadAsync(BinaryData.FromString("v1"), Create(), Ct);
        var second = await blob.UploadAsync(BinaryData.FromString("v2"), IfMatch(first.Value.ETag), Ct);

        await BlobAssert.FailsWith(412, BlobErrorCode.ConditionNotMet,
            () => blob.DeleteIfExistsAsync(conditions: new BlobRequestConditions { IfMatch = first.Value.ETag }, cancellationToken: Ct));
        Assert.True((await blob.ExistsAsync(Ct)).Value);

        Assert.True((await blob.DeleteIfExistsAsync(conditions: new BlobRequestConditions { IfMatch = second.Value.ETag }, cancellationToken: Ct)).Value);
    }

    [Fact]
    public async Task SetMetadata_replaces_all_metadata_and_changes_the_etag()
    {
        var blob = _container.GetBlobClient("metadata");
        var uploaded = await blob.UploadAsync(BinaryData.FromString("x"), new BlobUploadOptions
        {
            Metadata = new Dictionary<string, string> { ["old"] = "1" },
        }, Ct);

        var set = await blob.SetMetadataAsync(
            new Dictionary<string, string> { ["owner"] = "silo-2" }, new BlobRequestConditions { IfMatch = uploaded.Value.ETag }, Ct);

        var details = (await blob.DownloadContentAsync(Ct)).Value.Details;
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "silo-2" }, details.Metadata);
        Assert.NotEqual(uploaded.Value.ETag, set.Value.ETag);
        Assert.Equal(set.Value.ETag, details.ETag);
        Assert.Equal("x", (await blob.DownloadContentAsync(Ct)).Value.Content.ToString());
    }

    [Fact]
    public async Task SetMetadata_with_stale_if_match_fails_412_ConditionNotMet()
    {
        var blob = _container.GetBlobClient("metadata-stale");
        var first = await blob.UploadAsync(BinaryData.FromString("v1"), Create(), Ct);
        await blob.UploadAsync(BinaryData.FromString("v2"), IfMatch(first.Value.ETag), Ct);

        await BlobAssert.FailsWith(412, BlobErrorCode.ConditionNotMet, () => blob.SetMetadataAsync(
            new Dictionary<string, string> { ["a"] = "b" }, new BlobRequestConditions { IfMatch = first.Value.ETag }, Ct));
    }

    [Fact]
    public async Task Blob_names_with_folders_and_reserved_characters_round_trip()
    {
        const string name = "tenants/contoso ltd/ä+b#c.json";
        await _container.GetBlobClient(name).UploadAsync(BinaryData.FromString("x"), Create(), Ct);

        var listed = new List<string>();
        await foreach (var item in _container.GetBlobsAsync(prefix: "tenants/", cancellationToken: Ct))
        {
            listed.Add(item.Name);
        }

        Assert.Equal([name], listed);
        Assert.Equal("x", (await _container.GetBlobClient(name).DownloadContentAsync(Ct)).Value.Content.ToString());
    }

    private static BlobUploadOptions Create() => new() { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };

    private static BlobUploadOptions IfMatch(ETag etag) => new() { Conditions = new BlobRequestConditions { IfMatch = etag } };
}
