using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Defender.Mssp.Defender.Api.Budgets;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.DeadLetters;
using Defender.Mssp.Defender.Http;
using Defender.Mssp.Defender.Telemetry;
using Defender.Mssp.Defender.Sources;
using Defender.Mssp.Defender.Tokens;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace Defender.Mssp.Defender.Api;

/// <summary>
/// Sends one GET to a Defender API for a tenant and parses the page it returns, owning everything about a single
/// request: the bearer token and tenant headers, one forced token refresh after a 401, waiting out 429s, retrying
/// 5xx and lost connections (<see cref="ApiResiliencePipeline"/>), and turning what is left into
/// <see cref="DefenderApiException"/>.
/// </summary>
internal sealed partial class DefenderApiClient
{
    public const string TenantHeader = "X-Mssp-Tenant-Id";
    public const string SiloHeader = "X-Mssp-Silo-Id";
    public const string ClientRequestIdHeader = "client-request-id";

    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly IAccessTokenProvider _tokens;
    private readonly DefenderClientOptions _options;
    private readonly DefenderHttpOptions _httpOptions;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<DefenderApiClient> _logger;
    private readonly ResiliencePipeline<ApiAttempt> _pipeline;
    private readonly DefenderClientMetrics? _metrics;
    private readonly RequestBudgetRegistry? _budgets;
    private readonly DeadLetterWriter? _deadLetters;

    public DefenderApiClient(
        IHttpClientFactory httpClientFactory,
        IAccessTokenProvider tokens,
        IOptions<DefenderClientOptions> options,
        IOptions<DefenderHttpOptions> httpOptions,
        IOptions<DefenderRetryOptions> retryOptions,
        TimeProvider timeProvider,
        ILogger<DefenderApiClient> logger,
        DefenderClientMetrics? metrics = null,
        RequestBudgetRegistry? budgets = null,
        DeadLetterWriter? deadLetters = null)
    {
        _httpClientFactory = httpClientFactory;
        _deadLetters = deadLetters;
        _metrics = metrics;
        _budgets = budgets;
        _tokens = tokens;
        _options = options.Value;
        _httpOptions = httpOptions.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _pipeline = ApiResiliencePipeline.Build(retryOptions.Value, timeProvider, LogRetry);
    }

    /// <summary>GETs <see cref="ApiRequest.Uri"/> and parses the body of a successful answer with <paramref name="parse"/>.</summary>
    /// <exception cref="DefenderApiException">The API refused, kept failing, or sent a page that does not parse.</exception>
    /// <exception cref="TokenAcquisitionException">No token could be had.</exception>
    public async Task<IReadOnlyList<DefenderRecord>> GetPageAsync(
        ApiRequest request, Func<Stream, CancellationToken, Task<IReadOnlyList<DefenderRecord>>> parse,
        CancellationToken cancellationToken)
    {
        var token = await GetTokenAsync(request, forceRefresh: false, cancellationToken).ConfigureAwait(false);
        var attempt = await ExecuteAsync(request, token, parse, cancellationToken).ConfigureAwait(false);
        if (attempt.StatusCode == (int)HttpStatusCode.Unauthorized)
        {
            // The cached token may have been revoked or rotated server-side: one fresh token, one more try.
            LogUnauthorized(request.Tenant.TenantId, request.Source);
            token = await GetTokenAsync(request, forceRefresh: true, cancellationToken).ConfigureAwait(false);
            attempt = await ExecuteAsync(request, token, parse, cancellationToken).ConfigureAwait(false);
        }

        return attempt.Succeeded ? attempt.Records! : throw Failed(request, attempt);
    }

    /// <summary>
    /// As <see cref="GetPageAsync(ApiRequest, Func{Stream, CancellationToken, Task{IReadOnlyList{DefenderRecord}}}, CancellationToken)"/>,
    /// with <paramref name="parse"/> setting aside the records it cannot parse at all (poison) instead of failing the
    /// page: they go to the dead-letter sink before the page's good records are returned, so they never block the
    /// tenant. Without a dead-letter sink a poison record fails the page as before.
    /// </summary>
    public async Task<ParsedPage> GetPageAsync(
        ApiRequest request, Func<Stream, List<PoisonRecord>?, CancellationToken, Task<IReadOnlyList<DefenderRecord>>> parse,
        CancellationToken cancellationToken)
    {
        var poisons = _deadLetters is null ? null : new List<PoisonRecord>();
        var records = await GetPageAsync(request, (body, ct) =>
        {
            // Each attempt parses afresh: only the poison of the attempt that succeeded counts.
            poisons?.Clear();
            return parse(body, poisons, ct);
        }, cancellationToken).ConfigureAwait(false);
        if (poisons is { Count: > 0 })
        {
            await _deadLetters!.WriteAsync(request.Tenant.TenantId, request.Source, poisons, cancellationToken).ConfigureAwait(false);
        }

        return new ParsedPage(records, poisons?.Count ?? 0);
    }

    /// <summary>The tenant's token for the request's resource, inside a <c>defender.token</c> span.</summary>
    private async Task<AccessTokenResult> GetTokenAsync(ApiRequest request, bool forceRefresh, CancellationToken cancellationToken)
    {
        using var activity = DefenderActivities.StartToken(request, forceRefresh);
        try
        {
            var token = await _tokens.GetTokenAsync(request.Tenant, request.Resource, forceRefresh, cancellationToken)
                .ConfigureAwait(false);
            DefenderActivities.TokenAcquired(activity, token);
            return token;
        }
        catch (Exception ex) when (DefenderActivities.Failed(activity, ex))
        {
            throw; // Never reached: the filter only records the failure on the span.
        }
    }

    private async Task<ApiAttempt> ExecuteAsync(
        ApiRequest request, AccessTokenResult token, Func<Stream, CancellationToken, Task<IReadOnlyList<DefenderRecord>>> parse,
        CancellationToken cancellationToken)
    {
        using var activity = DefenderActivities.StartPage(request);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ApiResiliencePipeline.RequestKey, request);
        try
        {
            var attempt = await _pipeline.ExecuteAsync(
                static (ctx, state) => new ValueTask<ApiAttempt>(
                    state.Client.SendWithinBudgetAsync(state.Request, state.Token, state.Parse, ctx.CancellationToken)),
                context,
                (Client: this, Request: request, Token: token, Parse: parse)).ConfigureAwait(false);
            DefenderActivities.PageAnswered(activity, attempt);
            return attempt;
        }
        catch (Exception ex) when (DefenderActivities.Failed(activity, ex))
        {
            throw; // Never reached: the filter only records the failure on the span.
        }
        catch (Exception ex) when (ex is HttpRequestException && CertificateFailures.IsCertificateFailure(ex))
        {
            throw new DefenderApiException(request.Source, 0,
                $"{request.Source} API for tenant '{request.Tenant.TenantId}': the server certificate of " +
                $"{request.Uri.Host} is not trusted ({ex.InnerException?.Message ?? ex.Message}); see Defender:Http:TrustedCertificatesPath",
                errorCode: "UntrustedCertificate", inner: ex);
        }
        catch (Exception ex) when (ApiResiliencePipeline.IsTransientException(ex, cancellationToken))
        {
            throw new DefenderApiException(request.Source, 0,
                $"{request.Source} API for tenant '{request.Tenant.TenantId}' did not answer ({request.Uri.AbsolutePath}): " +
                $"{ex.GetType().Name}: {ex.Message}", errorCode: "NoResponse", inner: ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<ApiAttempt> SendOnceAsync(
        ApiRequest request, AccessTokenResult token, Func<Stream, CancellationToken, Task<IReadOnlyList<DefenderRecord>>> parse,
        CancellationToken cancellationToken)
    {
        // The attempt's own deadline covers the body too, which HttpClient.Timeout does not once headers are read.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_httpOptions.RequestTimeout);
        var clientRequestId = Guid.NewGuid().ToString("D");
        using var message = new HttpRequestMessage(HttpMethod.Get, request.Uri);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        message.Headers.Accept.Add(Json);
        message.Headers.TryAddWithoutValidation(TenantHeader, request.Tenant.TenantId);
        message.Headers.TryAddWithoutValidation(ClientRequestIdHeader, clientRequestId);
        if (!string.IsNullOrWhiteSpace(_options.SiloId))
        {
            message.Headers.TryAddWithoutValidation(SiloHeader, _options.SiloId);
        }

        var client = _httpClientFactory.CreateClient(DefenderHttpClientNames.Api);
        using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token)
            .ConfigureAwait(false);
        var status = (int)response.StatusCode;
        _metrics?.ApiResponded(request.Source, status);
        if (response.IsSuccessStatusCode)
        {
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                return ApiAttempt.Success(status, await parse(body, timeout.Token).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidDataException)
            {
                // A page that does not parse will not parse next time either: report it rather than retry.
                throw new DefenderApiException(request.Source, status,
                    $"{request.Source} API for tenant '{request.Tenant.TenantId}' sent a page that does not parse " +
                    $"({request.Uri.AbsolutePath}): {ex.Message}", errorCode: "MalformedResponse",
                    requestId: clientRequestId, inner: ex);
            }
        }

        var (error, text) = await ApiError.ReadAsync(response, clientRequestId, s => Redact(s, token), timeout.Token)
            .ConfigureAwait(false);
        var retryAfter = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
            ? RetryAfter.Parse(response.Headers.RetryAfter, text, _timeProvider.GetUtcNow())
            : null;
        return ApiAttempt.Failure(status, error, retryAfter);
    }

    private DefenderApiException Failed(ApiRequest request, ApiAttempt attempt)
    {
        var error = attempt.Error;
        var message = string.Create(CultureInfo.InvariantCulture,
            $"{request.Source} API for tenant '{request.Tenant.TenantId}' answered HTTP {attempt.StatusCode}" +
            $"{(error?.Code is null ? "" : " " + error.Code)} ({request.Uri.AbsolutePath})" +
            $"{(error?.Message is null ? "" : ": " + error.Message)}" +
            $"{(attempt.RetryAfter is { } wait ? $"; retry after {wait.TotalSeconds:0.###} s" : "")}" +
            $" [request id {error?.RequestId}]");
        LogRequestFailed(request.Tenant.TenantId, request.Source, attempt.StatusCode, error?.Code, error?.RequestId);
        return new DefenderApiException(request.Source, attempt.StatusCode, message, error?.Code,
            attempt.StatusCode == (int)HttpStatusCode.TooManyRequests ? attempt.RetryAfter : null, error?.RequestId);
    }

    private static string Redact(string text, AccessTokenResult token) =>
        token.Token.Length == 0 ? text : text.Replace(token.Token, "***", StringComparison.Ordinal);

    private void LogRetry(ApiRequest request, int statusCode, int attempt, TimeSpan delay)
    {
        if (statusCode == (int)HttpStatusCode.TooManyRequests)
        {
            _metrics?.ThrottledWait(request.Source, delay);
        }

        LogRetrying(request.Tenant.TenantId, request.Source, statusCode, attempt, delay);
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Information,
        Message = "{Source} API for tenant {TenantId} answered {StatusCode}; retry {Attempt} in {Delay}")]
    private partial void LogRetrying(string tenantId, string source, int statusCode, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information,
        Message = "{Source} API for tenant {TenantId} rejected the token (401); refreshing it once")]
    private partial void LogUnauthorized(string tenantId, string source);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning,
        Message = "{Source} API for tenant {TenantId} failed with {StatusCode} {ErrorCode}, request id {RequestId}")]
    private partial void LogRequestFailed(string tenantId, string source, int statusCode, string? errorCode, string? requestId);
}
