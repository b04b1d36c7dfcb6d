using System.Net;
using Defender.Mssp.Api.Tests.Infrastructure;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Api.Tests;

[Collection(AzuriteFixture.CollectionName)]
public sealed class StorageOutageTests(AzuriteFixture azurite) : ApiTestBase(azurite)
{
    // Azurite's well-known development account, at a loopback port where nothing listens.
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:ConnectionString"] = Azurite.ConnectionString.Replace(
            new Uri(Azurite.ServiceClient.Uri.GetLeftPart(UriPartial.Authority)).Authority, "127.0.0.1:9", StringComparison.Ordinal),
    };

    [Fact]
    public async Task Storage_that_cannot_be_reached_is_503_with_retry_after_not_a_bare_500()
    {
        var response = await Reader.GetAsync($"/tenants/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
    }
}
