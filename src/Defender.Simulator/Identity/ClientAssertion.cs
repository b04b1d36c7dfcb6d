using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Defender.Simulator.Identity;

/// <summary>
/// A client assertion (RFC 7523 JWT) as sent in <c>client_assertion</c>: the header fields and claims Entra ID checks,
/// and the bytes its signature covers. MSAL sends <c>exp</c>/<c>nbf</c> as numeric strings, so both forms are read.
/// </summary>
internal sealed record ClientAssertion(
    string? Algorithm,
    string? X5t,
    string? X5tS256,
    string? Issuer,
    string? Subject,
    IReadOnlyList<string> Audiences,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? NotBefore,
    string? JwtId,
    byte[] SigningInput,
    byte[] Signature)
{
    public const string JwtBearerType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>The assertion, or null (with the reason) when it is not a well-formed JWT.</summary>
    public static ClientAssertion? TryParse(string jwt, out string? problem)
    {
        problem = null;
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            problem = "The token does not have three parts.";
            return null;
        }

        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            if (header.RootElement.ValueKind != JsonValueKind.Object || payload.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = "The token's header or payload is not a JSON object.";
                return null;
            }

            var h = header.RootElement;
            var p = payload.RootElement;
            return new ClientAssertion(
                Text(h, "alg"),
                Text(h, "x5t"),
                Text(h, "x5t#S256"),
                Text(p, "iss"),
                Text(p, "sub"),
                ReadAudiences(p),
                Time(p, "exp"),
                Time(p, "nbf"),
                Text(p, "jti"),
                Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]),
                Base64Url.DecodeFromChars(parts[2]));
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentOutOfRangeException)
        {
            problem = "The token is not base64url-encoded JSON.";
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IReadOnlyList<string> ReadAudiences(JsonElement payload)
    {
        if (!payload.TryGetProperty("aud", out var aud))
        {
            return [];
        }

        return aud.ValueKind switch
        {
            JsonValueKind.String => [aud.GetString()!],
            JsonValueKind.Array => [.. aud.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!)],
            _ => [],
        };
    }

    private static DateTimeOffset? Time(JsonElement payload, string name)
    {
        if (!payload.TryGetProperty(name, out var value))
        {
            return null;
        }

        long seconds;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out seconds))
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        return value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
    }
}
