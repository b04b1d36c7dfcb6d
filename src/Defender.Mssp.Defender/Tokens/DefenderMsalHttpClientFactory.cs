using Defender.Mssp.Defender.Http;
using Microsoft.Identity.Client;

namespace Defender.Mssp.Defender.Tokens;

/// <summary>
/// Gives MSAL the product's own HttpClient (named <see cref="DefenderHttpClientNames.Token"/>), so the trust anchors,
/// proxy and connection settings of <see cref="DefenderHttpHandlerFactory"/> apply to token requests too.
/// </summary>
public sealed class DefenderMsalHttpClientFactory(IHttpClientFactory httpClientFactory) : IMsalHttpClientFactory
{
    public HttpClient GetHttpClient() => httpClientFactory.CreateClient(DefenderHttpClientNames.Token);
}
