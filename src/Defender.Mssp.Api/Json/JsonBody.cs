using System.Text.Json;
using Defender.Mssp.Api.Endpoints;
using Defender.Mssp.Api.Validation;

namespace Defender.Mssp.Api.Json;

/// <summary>Binds a JSON request body to <typeparamref name="T"/> strictly, or says by field why it cannot.</summary>
public static class JsonBody
{
    /// <summary>The bound body, or the problem to answer with (415, 413 or 400 naming the field).</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        if (!RequestBody.IsJson(request.ContentType))
        {
            return (null, ApiProblems.UnsupportedMediaType("application/json"));
        }

        var body = await RequestBody.ReadAsync(request, maxBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return (null, ApiProblems.TooLarge(maxBytes));
        }

        var errors = new FieldErrors();
        if (Bind<T>(body, errors) is { } value)
        {
            return (value, null);
        }

        return (null, ApiProblems.Validation(errors));
    }

    /// <summary>Binds <paramref name="json"/> (one JSON object) or adds why not to <paramref name="errors"/>.</summary>
    public static T? Bind<T>(ReadOnlySpan<byte> json, FieldErrors errors, string prefix = "", int firstLine = 1) where T : class
    {
        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            errors.Add(prefix + JsonRequestErrors.Body, "Required: a JSON object.");
            return null;
        }

        if (!JsonRequestErrors.IsWellFormed(json, errors, prefix, firstLine))
        {
            return null;
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(json, ApiJson.Options);
            if (value is null)
            {
                errors.Add(prefix + JsonRequestErrors.Body, "Must be a JSON object.");
            }

            return value;
        }
        catch (JsonException e)
        {
            JsonRequestErrors.Add<T>(e, errors, prefix);
            return null;
        }
    }
}
