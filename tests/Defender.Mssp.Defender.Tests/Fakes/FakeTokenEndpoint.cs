using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Identity.Client;

namespace Defender.Mssp.Defender.Tests.Fakes;

/// <summary>
/// Entra ID's v2 token endpoint as MSAL sees it, answered in process through <see cref="IMsalHttpClientFactory"/>:
/// <c>POST {host}/{tenant}/oauth2/v2.0/token</c> issues a token per request and counts requests per tenant; any
/// other URL answers 404 so an unexpected MSAL call (instance discovery, OIDC metadata) shows up in tests.
/// </summary>
internal sealed class FakeTokenEndpoint : IMsalHttpClientFactory
{
    private readonly ConcurrentDictionary<string, int> _issuedPerTenant = new(StringComparer.OrdinalIgnoreCase);
    private int _issued;

    public FakeTokenEndpoint()
    {
        Handler = new RecordingHandler(Respond);
    }

    public RecordingHandler Handler { get; }

    public int ExpiresInSeconds { get; set; } = 3599;

    /// <summary>Set to make the endpoint fail: (tenant, form) → error response, or null to issue a token.</summary>
    public Func<string, IReadOnlyDictionary<string, string>, HttpResponseMessage?>? Failure { get; set; }

    /// <summary>
    /// Set to hold the answers: a token is issued (and counted) at once, and its response waits for this task, as a
    /// slow network would; a client giving up meanwhile loses a token the endpoint did issue.
    /// </summary>
    public Task? Hold { get; set; }

    public int TokenRequests => Volatile.Read(ref _issued);

    public int TokenRequestsFor(string tenantId) => _issuedPerTenant.GetValueOrDefault(tenantId);

    public IEnumerable<string> RequestedUrls => Handler.Requests.Select(r => r.Method + " " + r.Uri);

    public HttpClient GetHttpClient() => new(Handler, disposeHandler: false);

    public static HttpResponseMessage Error(HttpStatusCode status, string error, string description, params int[] codes) =>
        Json(status, new Dictionary<string, object>
        {
            ["error"] = error,
            ["error_description"] = description + "\r\nTrace ID: 00000000-0000-0000-0000-000000000001\r\nCorrelation ID: 00000000-0000-0000-0000-000000000002\r\nTimestamp: 2026-01-01 00:00:00Z",
            ["error_codes"] = codes,
            ["trace_id"] = "00000000-0000-0000-0000-000000000001",
            ["correlation_id"] = "00000000-0000-0000-0000-000000000002",
        });

    private async Task<HttpResponseMessage> Respond(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var segments = request.RequestUri!.AbsolutePath.Trim('/').Split('/');
        if (request.Method != HttpMethod.Post || segments is not [var tenant, "oauth2", "v2.0", "token"])
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        }

        var form = ParseForm(await request.Content!.ReadAsStringAsync());
        if (Failure?.Invoke(tenant, form) is { } failure)
        {
            return failure;
        }

        var n = Interlocked.Increment(ref _issued);
        _issuedPerTenant.AddOrUpdate(tenant, 1, (_, c) => c + 1);
        if (Hold is { } hold)
        {
            await hold.WaitAsync(cancellationToken);
        }

        return Json(HttpStatusCode.OK, new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = ExpiresInSeconds,
            ["ext_expires_in"] = ExpiresInSeconds,
            ["access_token"] = $"token-{tenant}-{n}",
        });
    }

    private static Dictionary<string, string> ParseForm(string body) =>
        body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1].Replace('+', ' ') : ""));

    private static HttpResponseMessage Json(HttpStatusCode status, object body) => new(status)
    {
        Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
    };
}
