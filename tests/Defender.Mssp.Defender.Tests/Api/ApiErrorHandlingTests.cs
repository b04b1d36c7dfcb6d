using System.Net;
using System.Net.Http.Headers;
using Defender.Mssp.Defender.Tests.Fakes;
using Defender.Mssp.Sources;
using static Defender.Mssp.Defender.Tests.Fakes.TestTenants;

namespace Defender.Mssp.Defender.Tests.Api;

/// <summary>How one API request reacts to each kind of failure; driven through the incidents source.</summary>
public class ApiErrorHandlingTests
{
    private static Func<HttpRequestMessage, HttpResponseMessage> Sequence(params Func<HttpResponseMessage>[] responses)
    {
        var next = 0;
        return _ => responses[Math.Min(Interlocked.Increment(ref next) - 1, responses.Length - 1)]();
    }

    private static HttpResponseMessage Page() => FakeIncidentsApi.Json(
        "{\"value\":[" + FakeIncidentsApi.IncidentJson(7, Start.AddHours(1)) + "]}");

    private static HttpResponseMessage Status(HttpStatusCode status, string code = "Error", string message = "failed") =>
        FakeIncidentsApi.Error(status, code, message);

    private static HttpResponseMessage Throttled(Action<HttpResponseMessage> configure, string message = "Rate limit is exceeded.")
    {
        var response = Status(HttpStatusCode.TooManyRequests, "TooManyRequests", message);
        configure(response);
        return response;
    }

    [Fact]
    public async Task Unauthorized_gets_one_forced_token_refresh_and_one_retry()
    {
        using var services = new DefenderTestServices(Sequence(() => Status(HttpStatusCode.Unauthorized), Page));
        var tenant = Tenant();

        var records = await services.Incidents.ReadAsync(tenant, Day, default).ToListAsync();

        Assert.Single(records);
        Assert.Equal([false, true], services.Tokens.Calls.Select(c => c.ForceRefresh));
        Assert.Equal(
            ["Bearer " + FakeTokenProvider.TokenText(tenant.TenantId, 1), "Bearer " + FakeTokenProvider.TokenText(tenant.TenantId, 2)],
            services.Handler.Requests.Select(r => r.Header("Authorization")));
    }

    [Fact]
    public async Task A_second_unauthorized_is_thrown()
    {
        using var services = new DefenderTestServices(_ => Status(HttpStatusCode.Unauthorized, "Unauthorized", "Invalid token"));

        var error = await Assert.ThrowsAsync<DefenderApiException>(
            () => services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync());

        Assert.Equal(401, error.StatusCode);
        Assert.Equal("Unauthorized", error.ErrorCode);
        Assert.Equal(2, services.Handler.Requests.Count);
        Assert.Equal(1, services.Tokens.ForcedRefreshes);
    }

    [Fact]
    public async Task Forbidden_is_thrown_at_once_with_the_services_code_message_and_request_id()
    {
        using var services = new DefenderTestServices(_ => FakeIncidentsApi.Error(
            HttpStatusCode.Forbidden, "Forbidden", "The application does not have the Incident.Read.All permission", "req-403"));

        var error = await Assert.ThrowsAsync<DefenderApiException>(
            () => services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync());

        Assert.Equal(403, error.StatusCode);
        Assert.Equal("Forbidden", error.ErrorCode);
        Assert.Equal("req-403", error.RequestId);
        Assert.Contains("Incident.Read.All", error.Message);
        Assert.Single(services.Handler.Requests);
        Assert.Equal(0, services.Tokens.ForcedRefreshes);
        Assert.Empty(services.Time.Delays);
    }

    [Fact]
    public async Task Request_id_header_is_preferred_over_the_error_target()
    {
        using var services = new DefenderTestServices(_ =>
        {
            var response = FakeIncidentsApi.Error(HttpStatusCode.BadRequest, "BadRequest", "bad filter", "target-id");
            response.Headers.Add("request-id", "header-id");
            return response;
        });

        var error = await Assert.ThrowsAsync<DefenderApiException>(
            () => services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync());

        Assert.Equal("header-id", error.RequestId);
        Assert.Single(services.Handler.Requests);
    }

    [Fact]
    public async Task Throttling_waits_exactly_the_retry_after_seconds_then_succeeds()
    {
        using var services = new DefenderTestServices(Sequence(
            () => Throttled(r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7))), Page));

        var records = await services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync();

        Assert.Single(records);
        Assert.Equal(2, services.Handler.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(7)], services.Time.Delays);
    }

    [Fact]
    public async Task Throttling_honours_a_retry_after_date()
    {
        DateTimeOffset at = default;
        using var services = new DefenderTestServices(Sequence(
            () => Throttled(r => r.Headers.RetryAfter = new RetryConditionHeaderValue(at)), Page));
        at = services.Time.GetUtcNow().AddSeconds(30);

        await services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync();

        Assert.Equal([TimeSpan.FromSeconds(30)], services.Time.Delays);
    }

    [Fact]
    public async Task Throttling_honours_in_n_seconds_in_the_body()
    {
        using var services = new DefenderTestServices(Sequence(
            () => Throttled(_ => { }, "Rate limit is exceeded. Try again in 12 seconds."), Page));

        await services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync();

        Assert.Equal([TimeSpan.FromSeconds(12)], services.Time.Delays);
    }

    [Fact]
    public async Task Throttling_without_a_hint_backs_off()
    {
        using var services = new DefenderTestServices(Sequence(() => Throttled(_ => { }), Page));

        await services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync();

        var delay = Assert.Single(services.Time.Delays);
        Assert.InRange(delay, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_retry_after_beyond_the_bound_is_not_waited_out_but_reported()
    {
        using var services = new DefenderTestServices(
            _ => Throttled(r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromMinutes(10))));

        var error = await Assert.ThrowsAsync<DefenderApiException>(
            () => services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync());

        Assert.Equal(429, error.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(10), error.RetryAfter);
        Assert.Single(services.Handler.Requests);
        Assert.Empty(services.Time.Delays);
    }

    [Fact]
    public async Task Throttling_that_persists_is_thrown_after_a_bounded_number_of_waits()
    {
        using var services = new DefenderTestServices(
            _ => Throttled(r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(2))));

        var error = await Assert.ThrowsAsync<DefenderApiException>(
            () => services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync());

        Assert.Equal(429, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), error.RetryAfter);
        Assert.Equal(3, services.Handler.Requests.Count); // ThrottleMaxRetries = 2 in the test configuration
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)], services.Time.Delays);
    }

    [Fact]
    public async Task Server_errors_are_retried_with_growing_backoff_then_thrown()
    {
        using var services = new DefenderTestServices(_ => Status(HttpStatusCode.InternalServerError, "InternalError", "boom"));

        var error = await Assert.ThrowsAsync<DefenderApiException>(
            () => services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync());

        Assert.Equal(500, error.StatusCode);
        Assert.Equal("InternalError", error.ErrorCode);
        Assert.Null(error.RetryAfter);
        Assert.Equal(4, services.Handler.Requests.Count); // TransientMaxRetries = 3
        Assert.Equal(3, services.Time.Delays.Count);
        Assert.All(services.Time.Delays, d => Assert.True(d > TimeSpan.Zero));
    }

    [Fact]
    public async Task A_server_error_followed_by_success_returns_the_page()
    {
        using var services = new DefenderTestServices(Sequence(
            () => Status(HttpStatusCode.BadGateway), () => Status(HttpStatusCode.ServiceUnavailable), Page));

        var records = await services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync();

        Assert.Single(records);
        Assert.Equal(3, services.Handler.Requests.Count);
        Assert.Single(services.Tokens.Calls);
    }

    [Fact]
    public async Task Connection_failures_are_retried_then_reported_with_status_zero()
    {
        using var services = new DefenderTestServices(
            new Func<HttpRequestMessage, Task<HttpResponseMessage>>(_ => throw new HttpRequestException("Connection refused")));

        var error = await Assert.ThrowsAsync<DefenderApiException>(
            () => services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync());

        Assert.Equal(0, error.StatusCode);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Equal(4, services.Handler.Requests.Count);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_retried()
    {
        using var cancellation = new CancellationTokenSource();
        using var services = new DefenderTestServices(new Func<HttpRequestMessage, Task<HttpResponseMessage>>(_ =>
        {
            cancellation.Cancel();
            throw new TaskCanceledException();
        }));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => services.Incidents.ReadAsync(Tenant(), Day, cancellation.Token).ToListAsync());

        Assert.Single(services.Handler.Requests);
    }

    [Fact]
    public async Task The_token_never_appears_in_the_exception_even_when_the_service_echoes_it()
    {
        var tenant = Tenant();
        var token = FakeTokenProvider.TokenText(tenant.TenantId, 1);
        using var services = new DefenderTestServices(
            _ => FakeIncidentsApi.Error(HttpStatusCode.Forbidden, "Forbidden", $"Token {token} lacks a role"));

        var error = await Assert.ThrowsAsync<DefenderApiException>(
            () => services.Incidents.ReadAsync(tenant, Day, default).ToListAsync());

        Assert.DoesNotContain(token, error.ToString());
        Assert.Contains("lacks a role", error.Message);
    }
}
