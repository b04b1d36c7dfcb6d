using Azure;
using Microsoft.AspNetCore.Diagnostics;

namespace Defender.Mssp.Api;

/// <summary>
/// Answers a storage failure that got past the pipeline's retries with 503 and Retry-After, rather than a bare 500:
/// the request did nothing and may be repeated. The log line names the status and error code
/// (the storage service's wording).
/// </summary>
public sealed class StorageExceptionHandler(IProblemDetailsService problems, ILogger<StorageExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (StorageFailure(exception) is not { } failure)
        {
            return false;
        }

        ApiLog.StorageFailed(logger, failure, failure.Status, failure.ErrorCode, httpContext.Request.Method, httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Storage is unavailable.",
                Detail = "The tenant store could not be reached; nothing was changed. Try again shortly.",
            },
        });
    }

    /// <summary>The storage failure behind <paramref name="exception"/>: itself, or what every retry ran into.</summary>
    private static RequestFailedException? StorageFailure(Exception exception) => exception switch
    {
        RequestFailedException failure => failure,
        AggregateException { InnerExceptions: var inner } when inner.Count > 0 && inner.All(e => e is RequestFailedException) =>
            (RequestFailedException)inner[^1],
        _ => null,
    };
}
