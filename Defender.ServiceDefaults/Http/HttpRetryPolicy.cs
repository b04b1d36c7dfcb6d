using System.Net;
using Polly;
using Polly.Timeout;

namespace Defender.ServiceDefaults.Http;

/// <summary>Which outcomes are worth another attempt, and how long the server asked us to wait.</summary>
internal static class HttpRetryPolicy
{
    public static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("servicedefaults.request");

    private static readonly HashSet<HttpMethod> IdempotentMethods =
        [HttpMethod.Get, HttpMethod.Head, HttpMethod.Options, HttpMethod.Trace, HttpMethod.Put, HttpMethod.Delete];

    /// <summary>
    /// The method allows a repeat, and the content (if any) can be sent again: buffered content can, a stream that was
    /// read once cannot.
    /// </summary>
    public static bool CanRepeat(HttpRequestMessage request, HttpClientResilienceOptions options) =>
        (options.RetryUnsafeMethods || IdempotentMethods.Contains(request.Method))
        && request.Content is null or ByteArrayContent or ReadOnlyMemoryContent or FormUrlEncodedContent;

    /// <summary>Connection failures, timed-out attempts, 408, 429 and 5xx (but 501 and 505, which never heal).</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken callerToken) => outcome switch
    {
        { Exception: HttpRequestException } => true,
        { Exception: TimeoutRejectedException } => true,
        // HttpClient's own timeout, not the caller's cancellation.
        { Exception: OperationCanceledException } => !callerToken.IsCancellationRequested,
        { Result: { } response } => response.StatusCode switch
        {
            HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests => true,
            HttpStatusCode.NotImplemented or HttpStatusCode.HttpVersionNotSupported => false,
            >= HttpStatusCode.InternalServerError => true,
            _ => false,
        },
        _ => false,
    };

    /// <summary>The response's Retry-After as a delay from <paramref name="now"/>, or null when it has none.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, DateTimeOffset now) => response?.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };
}
