using System.Globalization;
using System.Threading.RateLimiting;
using Defender.Mssp.Api.Options;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Api.Security;

/// <summary>
/// ASP.NET Core's rate limiter on the management endpoints: a fixed window per caller (API key or token subject) and,
/// for requests that are not authenticated, per client address — so guessing keys is throttled too.
/// </summary>
public static class ManagementRateLimiting
{
    public const string PolicyName = "management";

    public static IServiceCollection AddManagementRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<ManagementRateLimitOptions>()
            .BindConfiguration(ManagementRateLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(options => options.Window > TimeSpan.Zero && options.Window <= TimeSpan.FromHours(1),
                "Api:RateLimit:Window must be positive and at most an hour.")
            .ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = OnRejectedAsync;
            limiter.AddPolicy(PolicyName, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<ManagementRateLimitOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PermitLimit,
                    Window = options.Window,
                    QueueLimit = 0,
                });
            });
        });
        return services;
    }

    private static string PartitionKey(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }
            ? "caller:" + name
            : "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ManagementRateLimiting));
        ApiLog.RateLimited(logger, PartitionKey(http), http.Request.Method, http.Request.Path);
        await TypedResults.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many requests.",
                detail: "The rate limit of the management API was reached; retry after the time in Retry-After.")
            .ExecuteAsync(http);
    }
}
