using System.Net;
using System.Text;

namespace Defender.ServiceDefaults.Tests.Fakes;

/// <summary>
/// Entra ID's token endpoint and the incidents API, answered in process at the HttpMessageHandler level: every token
/// request gets a one-hour token, every incidents query the same page of <see cref="Incidents"/>.
/// </summary>
internal sealed class FakeDefender
{
    private int _tokenRequests;

    public List<(long Id, DateTimeOffset LastUpdateTime)> Incidents { get; } = [];

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    public HttpMessageHandler TokenEndpoint => new Handler(_ =>
    {
        Interlocked.Increment(ref _tokenRequests);
        return Json("""{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"token-for-tests"}""");
    });

    public HttpMessageHandler Api => new Handler(request => request.RequestUri!.AbsolutePath == "/api/incidents"
        ? Json("{\"value\":[" + string.Join(",", Incidents.Select(incident =>
            $$"""{"incidentId":{{incident.Id}},"status":"Active","lastUpdateTime":"{{incident.LastUpdateTime.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}}"}""")) + "]}")
        : new HttpResponseMessage(HttpStatusCode.NotFound));

    private static HttpResponseMessage Json(string body) =>
        new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private sealed class Handler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(respond(request));
    }
}
