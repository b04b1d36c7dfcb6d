using System.Text.Json;
using Defender.Simulator.Records;

namespace Defender.Simulator.Api;

/// <summary>
/// Writes Microsoft Graph's error body: <c>{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}</c>.
/// </summary>
internal static class GraphErrorResult
{
    public static async Task WriteAsync(HttpContext context, int status, string code, string message, DateTimeOffset now)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        var clientRequestId = context.Request.Headers["client-request-id"].ToString();
        await using var writer = new Utf8JsonWriter(response.BodyWriter, WireJson.Options);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("code", code);
        writer.WriteString("message", message);
        writer.WriteStartObject("innerError");
        writer.WriteString("date", RecordTime.ToWire(now));
        writer.WriteString("request-id", Guid.NewGuid().ToString());
        writer.WriteString("client-request-id", clientRequestId.Length > 0 ? clientRequestId : Guid.NewGuid().ToString());
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    public static Task BadRequestAsync(HttpContext context, string message, DateTimeOffset now) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, "BadRequest", message, now);
}
