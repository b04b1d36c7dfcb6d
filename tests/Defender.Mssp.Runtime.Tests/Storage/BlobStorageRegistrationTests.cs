using Defender.Mssp.Runtime.Storage;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.Storage;
using Defender.Mssp.TestKit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Runtime.Tests.Storage;

[Collection(AzuriteFixture.CollectionName)]
public sealed class BlobStorageRegistrationTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task AddBlobGrainStorage_wires_grain_storage_to_the_configured_container()
    {
        var container = AzuriteFixture.UniqueContainerName();
        using var services = Build(new()
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:Container"] = container,
            ["Storage:StatePrefix"] = "grains/",
        });

        var storage = services.GetRequiredService<IGrainStorage>();
        await storage.WriteAsync("t1", TestState.Sample(), StorageConditions.CreateNew(), Ct);

        Assert.IsType<BlobGrainStorage>(storage);
        Assert.Equal(container, services.GetRequiredService<BlobContainerClient>().Name);
        Assert.True((await azurite.ServiceClient.GetBlobContainerClient(container).GetBlobClient("grains/t1.json").ExistsAsync(Ct)).Value);
    }

    [Fact]
    public void Defaults_are_the_product_container_and_the_state_prefix()
    {
        using var services = Build(new() { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" });

        Assert.Equal("defender-mssp", services.GetRequiredService<BlobContainerClient>().Name);
        Assert.Equal("state/t1.json", ((BlobGrainStorage)services.GetRequiredService<IGrainStorage>()).BlobName("t1"));
    }

    [Fact]
    public void A_blob_service_uri_selects_token_authentication()
    {
        using var services = Build(new() { ["Storage:BlobServiceUri"] = "https://contoso.blob.core.windows.net" });

        var container = services.GetRequiredService<BlobContainerClient>();

        Assert.Equal(new Uri("https://contoso.blob.core.windows.net/defender-mssp"), container.Uri);
    }

    [Theory]
    [InlineData(null, null, null, "exactly one")]
    [InlineData("UseDevelopmentStorage=true", "https://contoso.blob.core.windows.net", null, "exactly one")]
    [InlineData(null, "http://contoso.blob.core.windows.net", null, "https")]
    [InlineData("UseDevelopmentStorage=true", null, "Bad_Name", "Storage:Container")]
    [InlineData("AccountName=contoso;AccountKey=c2VjcmV0LWtleQ==;Oops", null, null, "Storage:ConnectionString")]
    public void Invalid_configuration_fails_validation_without_echoing_secrets(
        string? connectionString, string? serviceUri, string? container, string expected)
    {
        using var services = Build(new()
        {
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:BlobServiceUri"] = serviceUri,
            ["Storage:Container"] = container,
        });

        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<BlobStorageOptions>>().Value);

        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("c2VjcmV0LWtleQ==", e.Message);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Where(s => s.Value is not null)).Build();
        return new ServiceCollection().AddLogging().AddBlobGrainStorage(configuration).BuildServiceProvider();
    }
}
