using System.Text.Json;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.Runtime.Tenants;
using Defender.Mssp.TestKit;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Runtime.Tests.Tenants;

/// <summary>
/// A document with sinks is written as schema version 2, so a silo that predates tenant sinks leaves the tenant alone
/// rather than delivering to the default sinks; one without stays version 1, readable by every silo.
/// </summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class TenantSinkDocumentTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => CancellationToken.None;

    private readonly BlobContainerClient _container = azurite.NewContainer();

    private static StoredSinks Sinks => new()
    {
        Mode = TenantSinkMode.Replace,
        Sinks = [new StoredSink { Name = "files", Kind = TenantSinkKind.JsonLines, Folder = "soc" }],
    };

    [Fact]
    public async Task Sinks_raise_the_schema_version_and_removing_them_lowers_it_again()
    {
        var store = new TenantDocumentStore(_container);
        var created = await store.CreateAsync(Documents.New() with { Sinks = Sinks }, Ct);
        var tenantId = created.Document.TenantId;
        Assert.Equal(2, await SchemaVersionAsync(tenantId));
        var read = await store.GetAsync(tenantId, Ct);
        Assert.Equal("soc", read!.Document.Sinks!.Sinks.Single().Folder);

        await store.ReplaceAsync(read.Document with { Sinks = null }, read.ETag, Ct);

        Assert.Equal(1, await SchemaVersionAsync(tenantId));
        Assert.Null((await store.GetAsync(tenantId, Ct))!.Document.Sinks);
    }

    [Fact]
    public async Task A_document_of_a_newer_schema_than_this_build_is_refused()
    {
        var tenantId = Documents.NewTenantId();
        var json = JsonSerializer.Serialize(Documents.New(tenantId), TenantDocumentJson.Options)
            .Replace("\"schemaVersion\":1", $"\"schemaVersion\":{TenantDocument.CurrentSchemaVersion + 1}", StringComparison.Ordinal);
        await _container.CreateIfNotExistsAsync(cancellationToken: Ct);
        await _container.GetBlobClient($"tenants/{tenantId}.json").UploadAsync(BinaryData.FromString(json), cancellationToken: Ct);

        await Assert.ThrowsAsync<UnreadableTenantDocumentException>(() => new TenantDocumentStore(_container).GetAsync(tenantId, Ct));
    }

    private async Task<int> SchemaVersionAsync(string tenantId)
    {
        var download = await _container.GetBlobClient($"tenants/{tenantId}.json").DownloadContentAsync(Ct);
        using var json = JsonDocument.Parse(download.Value.Content);
        return json.RootElement.GetProperty("schemaVersion").GetInt32();
    }
}
