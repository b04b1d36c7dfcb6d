using Defender.Simulator.Records;
using System.Globalization;
using System.Text.Json;

namespace Defender.Simulator.Api;

/// <summary>
/// Writes the Defender APIs' error body: <c>{"error":{"code","message","target"}}</c>, where target is a tracking id
/// (public "Common Microsoft Defender XDR REST API error codes").
/// </summary>
internal static class DefenderErrorResult
{
    public static async Task WriteAsync(HttpContext context, int status, string code, string message, int? retryAfterSeconds = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        await using var writer = new Utf8JsonWriter(response.BodyWriter, WireJson.Options);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("code", code);
        writer.WriteString("message", message);
        writer.WriteString("target", Guid.NewGuid().ToString());
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    public static Task UnauthorizedAsync(HttpContext context, string reason)
    {
        // Resource servers say why in WWW-Authenticate (RFC 6750); the body stays generic as Defender's does.
        context.Response.Headers.WWWAuthenticate = $"Bearer error=\"invalid_token\", error_description=\"{reason}\"";
        return WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", "Unauthorized");
    }

    public static Task BadRequestAsync(HttpContext context, string code, string message) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, code, message);

    /// <summary>
    /// The body each injected status gets, worded as the documentation lists it; <paramref name="retryAfterHeader"/>
    /// is the delta-seconds <c>Retry-After</c> to send (null: none, or one already set as a date).
    /// </summary>
    public static Task InjectedAsync(HttpContext context, int status, int retryAfterSeconds, int? retryAfterHeader) => status switch
    {
        401 => UnauthorizedAsync(context, "Injected fault."),
        403 => WriteAsync(context, status, "Forbidden",
            "One of the domains is not managed by the tenant administrator or the tenant state is deleted."),
        404 => WriteAsync(context, status, "NotFound", "General Not Found error message."),
        429 => WriteAsync(context, status, "TooManyRequests",
            $"API calls quota exceeded! Try again in {retryAfterSeconds} seconds.", retryAfterHeader),
        503 => WriteAsync(context, status, "ServiceUnavailable", "The service is temporarily unavailable.", retryAfterHeader),
        >= 500 => WriteAsync(context, status, "InternalServerError", "Internal server error. Retry the operation."),
        _ => WriteAsync(context, status, "BadRequest", "General Bad Request error message."),
    };
}
