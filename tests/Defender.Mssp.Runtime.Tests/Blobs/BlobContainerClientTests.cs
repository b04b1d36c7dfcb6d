using Azure;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Runtime.Tests.Blobs;

/// <summary>Conformance of <see cref="BlobContainerClient"/> (create, list) against real Azurite.</summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class BlobContainerClientTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task CreateIfNotExists_creates_once_and_then_reports_it_existed()
    {
        var container = azurite.NewContainer();

        var created = await container.CreateIfNotExistsAsync(cancellationToken: Ct);
        var again = await container.CreateIfNotExistsAsync(cancellationToken: Ct);

        Assert.NotNull(created);
        Assert.Equal(201, created.GetRawResponse().Status);
        Assert.Null(again);
    }

    [Fact]
    public async Task Listing_returns_only_blobs_under_the_prefix_in_name_order_with_properties()
    {
        var container = await azurite.CreateContainerAsync();
        await Upload(container, "state/b.json", "{}");
        await Upload(container, "state/a.json", "{\"x\":1}");
        await Upload(container, "tenants/a.json", "{}");

        var items = await ListAsync(container.GetBlobsAsync(prefix: "state/", cancellationToken: Ct));

        Assert.Equal(["state/a.json", "state/b.json"], items.Select(i => i.Name));
        var a = items[0].Properties;
        Assert.Equal(7, a.ContentLength);
        Assert.Equal("application/json", a.ContentType);
        Assert.NotNull(a.LastModified);
        Assert.Equal(LeaseState.Available, a.LeaseState);
        Assert.Equal(LeaseStatus.Unlocked, a.LeaseStatus);
        Assert.Null(a.LeaseDuration);
    }

    [Fact]
    public async Task Listed_etag_equals_the_etag_a_download_returns()
    {
        var container = await azurite.CreateContainerAsync();
        var blob = container.GetBlobClient("one");
        var uploaded = await blob.UploadAsync(BinaryData.FromString("x"), overwrite: true, Ct);

        var item = Assert.Single(await ListAsync(container.GetBlobsAsync(cancellationToken: Ct)));

        Assert.Equal(uploaded.Value.ETag, item.Properties.ETag);
        Assert.Equal((await blob.DownloadContentAsync(Ct)).Value.Details.ETag, item.Properties.ETag);
    }

    [Fact]
    public async Task Listing_follows_continuation_markers_across_pages()
    {
        var container = await azurite.CreateContainerAsync();
        var names = Enumerable.Range(0, 5).Select(i => $"state/{i:D2}.json").ToList();
        foreach (var name in names)
        {
            await Upload(container, name, "{}");
        }

        var pages = new List<Page<BlobItem>>();
        await foreach (var page in container.GetBlobsAsync(prefix: "state/", cancellationToken: Ct).AsPages(pageSizeHint: 2))
        {
            pages.Add(page);
        }

        Assert.Equal([2, 2, 1], pages.Select(p => p.Values.Count));
        Assert.All(pages.SkipLast(1), p => Assert.False(string.IsNullOrEmpty(p.ContinuationToken)));
        Assert.Null(pages[^1].ContinuationToken);
        Assert.Equal(names, pages.SelectMany(p => p.Values).Select(i => i.Name));
    }

    [Fact]
    public async Task Listing_resumes_from_a_continuation_token()
    {
        var container = await azurite.CreateContainerAsync();
        foreach (var name in new[] { "a", "b", "c" })
        {
            await Upload(container, name, "{}");
        }

        string? token = null;
        await foreach (var page in container.GetBlobsAsync(cancellationToken: Ct).AsPages(pageSizeHint: 1))
        {
            token = page.ContinuationToken;
            break;
        }

        var rest = new List<string>();
        await foreach (var page in container.GetBlobsAsync(cancellationToken: Ct).AsPages(token, pageSizeHint: 1))
        {
            rest.AddRange(page.Values.Select(v => v.Name));
        }

        Assert.Equal(["b", "c"], rest);
    }

    [Fact]
    public async Task Listing_includes_metadata_only_when_asked()
    {
        var container = await azurite.CreateContainerAsync();
        await container.GetBlobClient("m").UploadAsync(BinaryData.FromString("x"), new BlobUploadOptions
        {
            Metadata = new Dictionary<string, string> { ["owner"] = "silo-1", ["heartbeat"] = "42" },
        }, Ct);

        var withMetadata = Assert.Single(await ListAsync(container.GetBlobsAsync(BlobTraits.Metadata, cancellationToken: Ct)));
        var without = Assert.Single(await ListAsync(container.GetBlobsAsync(cancellationToken: Ct)));

        Assert.Equal("silo-1", withMetadata.Metadata["owner"]);
        Assert.Equal("42", withMetadata.Metadata["heartbeat"]);
        Assert.Empty(without.Metadata);
    }

    [Fact]
    public async Task Listing_a_missing_container_fails_404_ContainerNotFound()
    {
        await BlobAssert.FailsWith(404, BlobErrorCode.ContainerNotFound,
            () => ListAsync(azurite.NewContainer().GetBlobsAsync(cancellationToken: Ct)));
    }

    private static Task Upload(BlobContainerClient container, string name, string json) =>
        container.GetBlobClient(name).UploadAsync(BinaryData.FromString(json), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
        }, Ct);

    internal static async Task<List<BlobItem>> ListAsync(AsyncPageable<BlobItem> pageable)
    {
        var items = new List<BlobItem>();
        await foreach (var item in pageable)
        {
            items.Add(item);
        }

        return items;
    }
}
