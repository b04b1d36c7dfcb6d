using Defender.Simulator.Records;
using System.Globalization;
using System.Text.Json;

namespace Defender.Simulator.Identity;

/// <summary>
/// Writes an <see cref="EntraError"/> with the body Entra ID sends: error, error_description ("AADSTSn: message
/// Trace ID: … Correlation ID: … Timestamp: …"), error_codes, timestamp, trace_id, correlation_id, error_uri.
/// </summary>
internal static class EntraErrorResult
{
    public static async Task WriteAsync(HttpContext context, EntraError error, DateTimeOffset now, int? retryAfterSeconds = null)
    {
        var traceId = Guid.NewGuid().ToString();

        // Entra ID echoes the caller's client-request-id (MSAL sends one) as the correlation id.
        var correlationId = Guid.TryParse(context.Request.Headers["client-request-id"], out var requested)
            ? requested.ToString()
            : Guid.NewGuid().ToString();
        var timestamp = now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        var response = context.Response;
        response.StatusCode = error.StatusCode;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers["x-ms-request-id"] = traceId;
        response.Headers["client-request-id"] = correlationId;
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        await using var writer = new Utf8JsonWriter(response.BodyWriter, WireJson.Options);
        writer.WriteStartObject();
        writer.WriteString("error", error.Error);
        writer.WriteString(
            "error_description",
            $"AADSTS{error.Code}: {error.Message} Trace ID: {traceId} Correlation ID: {correlationId} Timestamp: {timestamp}");
        writer.WriteStartArray("error_codes");
        writer.WriteNumberValue(error.Code);
        writer.WriteEndArray();
        writer.WriteString("timestamp", timestamp);
        writer.WriteString("trace_id", traceId);
        writer.WriteString("correlation_id", correlationId);
        writer.WriteString("error_uri", $"{context.Request.Scheme}://{context.Request.Host}/error?code={error.Code}");
        if (error.SubError is not null)
        {
            writer.WriteString("suberror", error.SubError);
        }

        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
