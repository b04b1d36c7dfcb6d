using System.Diagnostics;
using Defender.Mssp.Defender.Api;
using Defender.Mssp.Defender.Tokens;
using Defender.Mssp.Sources;
using Names = Defender.Mssp.Defender.Telemetry.DefenderTelemetryNames;

namespace Defender.Mssp.Defender.Telemetry;

/// <summary>
/// The Defender clients' spans on the <c>Defender.Mssp</c> activity source, children of the grain's
/// <c>defender.poll</c>: <c>defender.token</c> for each token acquisition (cache hits included, tagged as such) and
/// <c>defender.api.page</c> for each page request with all its retries (HttpClient adds a span per attempt beneath).
/// </summary>
internal static class DefenderActivities
{
    public static readonly ActivitySource Activities = new(Names.Product, typeof(DefenderActivities).Assembly.GetName().Version?.ToString());

    public static Activity? StartToken(ApiRequest request, bool forceRefresh) =>
        Activities.StartActivity(Names.TokenSpan, ActivityKind.Internal, default(ActivityContext),
        [
            new(Names.TenantId, request.Tenant.TenantId),
            new(Names.Source, request.Source),
            new(Names.TokenResource, request.Resource),
            new(Names.TokenForcedRefresh, forceRefresh),
        ]);

    public static void TokenAcquired(Activity? activity, AccessTokenResult token) => activity?.SetTag(Names.TokenCached, token.FromCache);

    public static Activity? StartPage(ApiRequest request) =>
        Activities.StartActivity(Names.ApiPageSpan, ActivityKind.Internal, default(ActivityContext),
        [
            new(Names.TenantId, request.Tenant.TenantId),
            new(Names.Source, request.Source),
            new(Names.ServerAddress, request.Uri.Host),
        ]);

    /// <summary>The page's final answer; one that is not a page (401, 403, 429 beyond the retries…) is an error.</summary>
    public static void PageAnswered(Activity? activity, ApiAttempt attempt)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(Names.StatusCode, attempt.StatusCode);
        if (attempt.Succeeded)
        {
            activity.SetTag(Names.PageRecords, attempt.Records!.Count);
            return;
        }

        var errorType = attempt.Error?.Code ?? attempt.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        activity.SetTag(Names.ErrorType, errorType);
        activity.SetStatus(ActivityStatusCode.Error, errorType);
    }

    /// <summary>Marks the span failed by <paramref name="exception"/>. Returns false, so it can sit in an exception filter.</summary>
    public static bool Failed(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            var errorType = ErrorType(exception);
            activity.SetTag(Names.ErrorType, errorType);
            activity.SetStatus(ActivityStatusCode.Error, errorType);
            activity.AddException(exception);
        }

        return false;
    }

    /// <summary>The failure's code: stable and bounded, unlike a message.</summary>
    public static string ErrorType(Exception exception) => exception switch
    {
        TokenAcquisitionException token => token.AadstsCode ?? token.ErrorCode ?? nameof(TokenAcquisitionException),
        DefenderApiException api => api.ErrorCode ?? nameof(DefenderApiException),
        _ => exception.GetType().FullName ?? exception.GetType().Name,
    };
}
