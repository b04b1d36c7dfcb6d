using System.Text.Json;

namespace Defender.Mssp.Defender.Api;

/// <summary>The error a Defender API reported: <c>{"error":{"code","message","target"}}</c>, or whatever text it sent.</summary>
internal sealed record ApiError(string? Code, string? Message, string? RequestId)
{
    private const int MaxBodyChars = 64 * 1024;
    private const int MaxMessageChars = 500;
    private static readonly string[] RequestIdHeaders = ["request-id", "x-ms-request-id", "x-request-id"];

    /// <summary>Reads the error body (bounded) and the service's request id; <paramref name="redact"/> scrubs echoed credentials.</summary>
    public static async Task<(ApiError Error, string Body)> ReadAsync(
        HttpResponseMessage response, string clientRequestId, Func<string, string> redact, CancellationToken cancellationToken)
    {
        var body = await ReadBoundedAsync(response.Content, cancellationToken).ConfigureAwait(false);
        string? code = null, message = null, target = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) ? e : root;
            if (error.ValueKind == JsonValueKind.Object)
            {
                code = StringOf(error, "code");
                message = StringOf(error, "message");
                target = StringOf(error, "target") ?? StringOf(error, "requestId");
            }
            else if (error.ValueKind == JsonValueKind.String)
            {
                message = error.GetString();
            }
        }
        catch (JsonException)
        {
            message = body.Length > 0 ? body : response.ReasonPhrase;
        }

        var requestId = HeaderRequestId(response) ?? target ?? clientRequestId;
        message = message is null ? null : Shorten(redact(message.Trim()));
        return (new ApiError(code, message, requestId), redact(body));
    }

    private static string? HeaderRequestId(HttpResponseMessage response)
    {
        foreach (var name in RequestIdHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values) && values.FirstOrDefault() is { Length: > 0 } value)
            {
                return value;
            }
        }

        return null;
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<string> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        var buffer = new char[MaxBodyChars];
        var read = await reader.ReadBlockAsync(buffer, cancellationToken).ConfigureAwait(false);
        return new string(buffer, 0, read);
    }

    private static string Shorten(string text) => text.Length <= MaxMessageChars ? text : text[..MaxMessageChars] + "…";
}
