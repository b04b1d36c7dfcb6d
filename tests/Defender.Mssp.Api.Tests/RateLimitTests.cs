using System.Net;
using Defender.Mssp.Api.Tests.Infrastructure;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Api.Tests;

/// <summary>The management endpoints are rate limited per caller; health checks are not.</summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class RateLimitTests(AzuriteFixture azurite) : ApiTestBase(azurite)
{
    private const int Limit = 3;

    // An hour's window: nothing refills while the test runs, however slow the machine.
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Api:RateLimit:PermitLimit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Api:RateLimit:Window"] = "01:00:00",
    };

    [Fact]
    public async Task A_caller_over_the_limit_gets_429_with_retry_after_while_others_go_on()
    {
        for (var i = 0; i < Limit; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Reader.GetAsync("/tenants")).StatusCode);
        }

        var limited = await Reader.GetAsync("/cluster");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync("/tenants")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Api.Anonymous().GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Unauthenticated_requests_are_limited_too_so_keys_cannot_be_guessed_quickly()
    {
        var guesser = Api.WithKey("dmk_guess");
        for (var i = 0; i < Limit; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync("/tenants")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesser.GetAsync("/tenants")).StatusCode);
    }
}
