using System.Text.Json;
using Azure;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.Runtime.Tenants;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Runtime.Tests.Tenants;

[Collection(AzuriteFixture.CollectionName)]
public sealed class TenantDocumentStoreTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => CancellationToken.None;

    private readonly BlobContainerClient _container = azurite.NewContainer();

    private TenantDocumentStore Store => new(_container);

    [Fact]
    public async Task A_tenant_is_one_json_blob_under_the_tenant_prefix_with_enums_and_durations_readable()
    {
        var document = Documents.New() with { PollInterval = TimeSpan.FromMinutes(5) };

        var created = await Store.CreateAsync(document, Ct);

        var download = await _container.GetBlobClient($"tenants/{document.TenantId}.json").DownloadContentAsync(Ct);
        Assert.Equal(created.ETag, download.Value.Details.ETag);
        Assert.Equal("application/json", download.Value.Details.ContentType);
        using var json = JsonDocument.Parse(download.Value.Content);
        Assert.Equal("Commercial", json.RootElement.GetProperty("cloud").GetString());
        Assert.Equal("00:05:00", json.RootElement.GetProperty("pollInterval").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("schemaVersion").GetInt32());
    }

    [Fact]
    public async Task What_was_created_reads_back_equal_with_its_etag()
    {
        var document = Documents.New() with { MachineGroups = ["Finance"], Sources = ["siem"] };
        var created = await Store.CreateAsync(document, Ct);

        var read = await Store.GetAsync(document.TenantId, Ct);

        Assert.NotNull(read);
        Assert.Equal(created.ETag, read.ETag);
        Assert.Equal(["Finance"], read.Document.MachineGroups);
        Assert.Equal(["siem"], read.Document.Sources);
        Assert.Equal(document.ClientId, read.Document.ClientId);
    }

    [Fact]
    public async Task A_second_create_of_the_same_tenant_fails()
    {
        var document = Documents.New();
        await Store.CreateAsync(document, Ct);

        await Assert.ThrowsAsync<TenantAlreadyExistsException>(() => Store.CreateAsync(document with { DisplayName = "Other" }, Ct));
        Assert.Equal("Contoso", (await Store.GetAsync(document.TenantId, Ct))!.Document.DisplayName);
    }

    [Fact]
    public async Task A_replace_from_a_stale_etag_fails_and_leaves_the_newer_version()
    {
        var created = await Store.CreateAsync(Documents.New(), Ct);
        var first = await Store.ReplaceAsync(created.Document with { DisplayName = "First", Version = 2 }, created.ETag, Ct);

        await Assert.ThrowsAsync<TenantConcurrencyException>(() =>
            Store.ReplaceAsync(created.Document with { DisplayName = "Second", Version = 2 }, created.ETag, Ct));

        var read = await Store.GetAsync(created.Document.TenantId, Ct);
        Assert.Equal("First", read!.Document.DisplayName);
        Assert.Equal(first.ETag, read.ETag);
    }

    [Fact]
    public async Task A_replace_of_a_deleted_tenant_says_not_found()
    {
        var created = await Store.CreateAsync(Documents.New(), Ct);
        await Store.DeleteAsync(created.Document.TenantId, null, Ct);

        await Assert.ThrowsAsync<TenantNotFoundException>(() => Store.ReplaceAsync(created.Document, created.ETag, Ct));
    }

    [Fact]
    public async Task Delete_honours_the_etag_and_reports_whether_anything_was_deleted()
    {
        var created = await Store.CreateAsync(Documents.New(), Ct);
        var changed = await Store.ReplaceAsync(created.Document with { Version = 2 }, created.ETag, Ct);

        await Assert.ThrowsAsync<TenantConcurrencyException>(() => Store.DeleteAsync(created.Document.TenantId, created.ETag, Ct));
        Assert.True(await Store.DeleteAsync(created.Document.TenantId, changed.ETag, Ct));
        Assert.False(await Store.DeleteAsync(created.Document.TenantId, null, Ct));
        Assert.Null(await Store.GetAsync(created.Document.TenantId, Ct));
    }

    [Fact]
    public async Task Listing_is_in_tenant_id_order_follows_continuations_and_starts_after_a_given_id()
    {
        var ids = Enumerable.Range(0, 5).Select(_ => Documents.NewTenantId()).Order(StringComparer.Ordinal).ToList();
        foreach (var id in ids)
        {
            await Store.CreateAsync(Documents.New(id), Ct);
        }

        await _container.GetBlobClient("tenants/not-a-tenant.json").UploadAsync(BinaryData.FromString("{}"));
        await _container.GetBlobClient("state/" + ids[0] + ".json").UploadAsync(BinaryData.FromString("{}"));

        var all = await Store.ListAsync(pageSizeHint: 2, cancellationToken: Ct).ToListAsync();
        var after = await Store.ListAsync(startAfter: ids[1], cancellationToken: Ct).ToListAsync();

        Assert.Equal(ids, all.Select(listing => listing.TenantId));
        Assert.All(all, listing => Assert.NotEqual(default, listing.ETag));
        Assert.Equal(ids.Skip(2), after.Select(listing => listing.TenantId));
    }

    [Fact]
    public async Task Listing_a_container_that_does_not_exist_is_empty()
    {
        Assert.Empty(await Store.ListAsync(cancellationToken: Ct).ToListAsync());
    }

    [Fact]
    public async Task Only_canonical_tenant_ids_become_blob_names()
    {
        Assert.Throws<ArgumentException>(() => Store.BlobName("../state/x"));
        Assert.Throws<ArgumentException>(() => Store.BlobName("6F1C2B9E-1D3A-4C55-9A0E-2B7F5D8C1E01"));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetAsync("not-a-guid", Ct));
    }

    [Fact]
    public async Task A_document_from_a_newer_schema_or_for_another_tenant_is_refused()
    {
        var newer = Documents.NewTenantId();
        await _container.CreateIfNotExistsAsync(cancellationToken: Ct);
        await _container.GetBlobClient($"tenants/{newer}.json").UploadAsync(BinaryData.FromString(
            $$"""{"schemaVersion":99,"tenantId":"{{newer}}","clientId":"{{Guid.NewGuid()}}"}"""));
        var misplaced = Documents.NewTenantId();
        await _container.GetBlobClient($"tenants/{misplaced}.json").UploadAsync(BinaryData.FromString(
            $$"""{"tenantId":"{{Guid.NewGuid()}}","clientId":"{{Guid.NewGuid()}}"}"""));

        var tooNew = await Assert.ThrowsAsync<UnreadableTenantDocumentException>(() => Store.GetAsync(newer, Ct));
        await Assert.ThrowsAsync<UnreadableTenantDocumentException>(() => Store.GetAsync(misplaced, Ct));
        Assert.Contains("schema version 99", tooNew.Message, StringComparison.Ordinal);
    }
}
