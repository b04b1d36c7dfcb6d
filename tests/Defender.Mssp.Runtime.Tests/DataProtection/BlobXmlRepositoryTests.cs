using System.Xml.Linq;
using Defender.Mssp.Runtime.DataProtection;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Runtime.Tests.DataProtection;

[Collection(AzuriteFixture.CollectionName)]
public sealed class BlobXmlRepositoryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Elements_are_stored_one_blob_each_under_the_prefix_and_read_back()
    {
        var container = azurite.NewContainer();
        var repository = new BlobXmlRepository(container);

        repository.StoreElement(new XElement("key", new XAttribute("id", "1")), "key-1");
        repository.StoreElement(new XElement("key", new XAttribute("id", "2")), "key-2");

        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync())
        {
            names.Add(item.Name);
        }

        Assert.Equal(["dataprotection/keys/key-1.xml", "dataprotection/keys/key-2.xml"], names);
        Assert.Equal(["1", "2"], repository.GetAllElements().Select(element => element.Attribute("id")!.Value).Order());
    }

    [Fact]
    public void An_element_never_overwrites_another_of_the_same_name()
    {
        var repository = new BlobXmlRepository(azurite.NewContainer());

        repository.StoreElement(new XElement("key", new XAttribute("id", "first")), "key-1");
        repository.StoreElement(new XElement("key", new XAttribute("id", "second")), "key-1");

        Assert.Equal(["first", "second"], repository.GetAllElements().Select(element => element.Attribute("id")!.Value).Order());
    }

    [Fact]
    public void A_missing_container_is_an_empty_key_ring()
    {
        Assert.Empty(new BlobXmlRepository(azurite.NewContainer()).GetAllElements());
    }

    [Fact]
    public async Task An_unreadable_blob_is_skipped_and_the_rest_still_load()
    {
        var container = await azurite.CreateContainerAsync();
        var repository = new BlobXmlRepository(container);
        repository.StoreElement(new XElement("key", new XAttribute("id", "good")), "key-good");
        await container.GetBlobClient("dataprotection/keys/broken.xml").UploadAsync(BinaryData.FromString("<not xml"));

        Assert.Equal("good", Assert.Single(repository.GetAllElements()).Attribute("id")!.Value);
    }

    [Fact]
    public void Friendly_names_cannot_step_out_of_the_prefix()
    {
        var container = azurite.NewContainer();
        var repository = new BlobXmlRepository(container, "keys/");

        repository.StoreElement(new XElement("key"), "../../tenants/evil");

        Assert.Single(repository.GetAllElements());
        var name = Assert.Single(container.GetBlobsAsync().ToBlockingEnumerable()).Name;
        Assert.StartsWith("keys/", name, StringComparison.Ordinal);
        Assert.DoesNotContain('/', name["keys/".Length..]);
    }
}
