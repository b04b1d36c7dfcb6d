using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using Defender.Mssp.Defender.Api;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.Telemetry;
using Defender.Mssp.Defender.Tests.Fakes;
using Defender.Mssp.Defender.Tokens;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;
using Defender.Mssp.TestKit.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Defender.Mssp.Defender.Tests.Fakes.TestTenants;

namespace Defender.Mssp.Defender.Tests.Telemetry;

/// <summary>The Defender clients' metrics and spans, driven through the incidents source over a fake handler.</summary>
public sealed class DefenderClientTelemetryTests
{
    private const string TenantA = "11111111-1111-1111-1111-111111111111";
    private const string Resource = "https://api.security.microsoft.com";

    private static Func<HttpRequestMessage, HttpResponseMessage> Sequence(params Func<HttpResponseMessage>[] responses)
    {
        var next = 0;
        return _ => responses[Math.Min(Interlocked.Increment(ref next) - 1, responses.Length - 1)]();
    }

    private static HttpResponseMessage Page() =>
        FakeIncidentsApi.Json("{\"value\":[" + FakeIncidentsApi.IncidentJson(7, Start.AddHours(1)) + "]}");

    private static HttpResponseMessage Throttled(TimeSpan retryAfter)
    {
        var response = FakeIncidentsApi.Error(HttpStatusCode.TooManyRequests, "TooManyRequests", "Rate limit is exceeded.");
        response.Headers.RetryAfter = new RetryConditionHeaderValue(retryAfter);
        return response;
    }

    [Fact]
    public async Task Every_api_answer_is_counted_by_source_and_status_and_a_throttled_wait_is_recorded()
    {
        using var services = new DefenderTestServices(Sequence(() => Throttled(TimeSpan.FromSeconds(7)), Page));
        using var capture = new MetricCapture(services.Services.GetRequiredService<IMeterFactory>());

        await services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync();

        var responses = capture.Of("defender.api.responses");
        Assert.All(responses, response =>
        {
            Assert.Equal("{response}", response.Unit);
            Assert.Equal(DefenderSources.Incidents, response.Tag("defender.source"));
        });
        Assert.Equal(["429", "200"], responses.Select(response => response.Tag("http.response.status_code")));

        var wait = Assert.Single(capture.Of("defender.api.throttled_waits"));
        Assert.Equal("{wait}", wait.Unit);
        Assert.Equal(DefenderSources.Incidents, wait.Tag("defender.source"));
        var waited = Assert.Single(capture.Of("defender.api.throttled_wait.duration"));
        Assert.Equal("s", waited.Unit);
        Assert.Equal(7, waited.Value);
    }

    [Fact]
    public async Task Server_errors_are_counted_but_are_not_throttled_waits()
    {
        using var services = new DefenderTestServices(Sequence(
            () => FakeIncidentsApi.Error(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "down"), Page));
        using var capture = new MetricCapture(services.Services.GetRequiredService<IMeterFactory>());

        await services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync();

        Assert.Equal(["503", "200"], capture.Of("defender.api.responses").Select(response => response.Tag("http.response.status_code")));
        Assert.Empty(capture.Of("defender.api.throttled_waits"));
    }

    [Fact]
    public async Task Token_and_page_spans_are_children_of_the_callers_span_and_name_the_tenant()
    {
        using var services = new DefenderTestServices(_ => Page());
        using var spans = new SpanCapture();

        await services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync();

        var token = Assert.Single(spans.Named("defender.token"));
        Assert.Equal(spans.Root.SpanId, token.ParentSpanId);
        Assert.Equal(TenantA, token.GetTagItem("defender.tenant.id"));
        Assert.Equal(DefenderSources.Incidents, token.GetTagItem("defender.source"));
        Assert.Equal(false, token.GetTagItem("defender.token.forced_refresh"));
        Assert.Equal(false, token.GetTagItem("defender.token.cached"));
        Assert.NotNull(token.GetTagItem("defender.token.resource"));

        var page = Assert.Single(spans.Named("defender.api.page"));
        Assert.Equal(spans.Root.SpanId, page.ParentSpanId);
        Assert.Equal(TenantA, page.GetTagItem("defender.tenant.id"));
        Assert.Equal(200, page.GetTagItem("http.response.status_code"));
        Assert.Equal(1, page.GetTagItem("defender.api.page.records"));
        Assert.Equal("defender.test", page.GetTagItem("server.address"));
        Assert.NotEqual(ActivityStatusCode.Error, page.Status);
    }

    [Fact]
    public async Task A_rejected_token_shows_as_a_failed_page_a_forced_token_and_a_second_page()
    {
        using var services = new DefenderTestServices(Sequence(
            () => FakeIncidentsApi.Error(HttpStatusCode.Unauthorized, "Unauthorized", "expired"), Page));
        using var spans = new SpanCapture();

        await services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync();

        // Each ends before the next starts, so the order they ended in is the order they ran in.
        var trace = spans.Spans.Where(span => span.OperationName.StartsWith("defender.", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["defender.token:False", "defender.api.page:401", "defender.token:True", "defender.api.page:200"],
            trace.Select(span => span.OperationName + ":" + (span.OperationName == "defender.token"
                ? span.GetTagItem("defender.token.forced_refresh")
                : span.GetTagItem("http.response.status_code"))));
        var rejected = trace[1];
        Assert.Equal(ActivityStatusCode.Error, rejected.Status);
        Assert.Equal("Unauthorized", rejected.GetTagItem("error.type"));
    }

    [Fact]
    public async Task A_token_failure_marks_the_token_span_with_the_error_code()
    {
        using var services = new DefenderTestServices(_ => Page());
        var refusing = new RefusingTokenProvider(new TokenAcquisitionException(TenantA, "wrong secret", "invalid_client", "AADSTS7000215"));
        var api = ActivatorUtilities.CreateInstance<DefenderApiClient>(services.Services, refusing);
        using var spans = new SpanCapture();

        await Assert.ThrowsAsync<TokenAcquisitionException>(() => api.GetPageAsync(
            new ApiRequest(DefenderSources.Incidents, Tenant(), Resource, new Uri(DefenderTestServices.ApiBase + "/api/incidents")),
            (_, _) => Task.FromResult<IReadOnlyList<DefenderRecord>>([]), default));

        var token = Assert.Single(spans.Named("defender.token"));
        Assert.Equal(ActivityStatusCode.Error, token.Status);
        Assert.Equal("AADSTS7000215", token.GetTagItem("error.type"));
        Assert.Empty(spans.Named("defender.api.page"));
    }

    [Fact]
    public async Task Token_requests_count_only_calls_to_the_endpoint_and_failures_carry_the_aadsts_code()
    {
        using var meters = new TestMeterFactory();
        using var capture = new MetricCapture(meters);
        var endpoint = new FakeTokenEndpoint();
        var provider = CreateProvider(endpoint, new DefenderClientMetrics(meters));
        var tenant = Tenant(TenantA);

        await provider.GetTokenAsync(tenant, Resource, false, default);
        await provider.GetTokenAsync(tenant, Resource, false, default);
        endpoint.Failure = (_, _) => FakeTokenEndpoint.Error(
            HttpStatusCode.Unauthorized, "invalid_client", "AADSTS7000215: Invalid client secret provided.", 7000215);
        await Assert.ThrowsAsync<TokenAcquisitionException>(() => provider.GetTokenAsync(tenant, Resource, true, default));

        var requests = capture.Of("defender.token.requests");
        Assert.Equal(2, requests.Sum(request => request.Value));
        Assert.All(requests, request => Assert.Equal("{request}", request.Unit));
        var failure = Assert.Single(capture.Of("defender.token.failures"));
        Assert.Equal("{failure}", failure.Unit);
        Assert.Equal("AADSTS7000215", failure.Tag("error.type"));
    }

    private static MsalAccessTokenProvider CreateProvider(FakeTokenEndpoint endpoint, DefenderClientMetrics metrics)
    {
        var endpoints = new DefenderEndpointsOptions();
        foreach (var (_, cloud) in endpoints.All())
        {
            cloud.AuthorityHost = new Uri("https://127.0.0.1:5443");
        }

        return new MsalAccessTokenProvider(
            Options.Create(endpoints),
            Options.Create(new DefenderTokenOptions { RetryOnceOn5xx = false }),
            endpoint,
            new ClientSecretCredentialResolver(),
            new ManualTimeProvider(DateTimeOffset.UtcNow),
            NullLogger<MsalAccessTokenProvider>.Instance,
            metrics);
    }

    private sealed class RefusingTokenProvider(TokenAcquisitionException failure) : IAccessTokenProvider
    {
        public Task<AccessTokenResult> GetTokenAsync(
            TenantSettings tenant, string resource, bool forceRefresh, CancellationToken cancellationToken) =>
            Task.FromException<AccessTokenResult>(failure);

        public DateTimeOffset? GetCachedExpiry(TenantSettings tenant, string resource) => null;
    }
}
