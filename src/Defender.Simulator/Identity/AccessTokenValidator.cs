using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Defender.Simulator.Hosting;
using Microsoft.Extensions.Options;

namespace Defender.Simulator.Identity;

/// <summary>The claims of a valid access token the APIs act on.</summary>
internal sealed record AccessTokenClaims(Guid TenantId, string ClientId, string Audience, DateTimeOffset ExpiresAt);

/// <summary>The outcome of validating a bearer token: its claims, or why it was refused.</summary>
internal readonly record struct TokenValidation(AccessTokenClaims? Claims, string? Failure)
{
    public static TokenValidation Fail(string reason) => new(null, reason);
}

/// <summary>
/// Validates bearer tokens on API calls as a resource server does: signature, lifetime (with clock skew) and
/// audience — of the cloud whose host was called, so a commercial token is refused on a GCC High host. The tenant is
/// taken from the token's <c>tid</c>, never from the request.
/// </summary>
internal sealed class AccessTokenValidator(TokenSigningKey key, IOptions<SimulatorOptions> options, CloudDirectory? clouds = null)
{
    private readonly TimeSpan _skew = options.Value.Tokens.ClockSkew;

    /// <param name="host">The request's host (no port): a host of a known cloud accepts only that cloud's audiences.</param>
    public TokenValidation Validate(string? authorization, IReadOnlyCollection<string> audiences, DateTimeOffset now, string? host = null)
    {
        if (clouds is not null)
        {
            audiences = clouds.AudiencesAt(host, audiences);
        }

        if (string.IsNullOrWhiteSpace(authorization))
        {
            return TokenValidation.Fail("The Authorization header is missing.");
        }

        const string scheme = "Bearer ";
        if (!authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return TokenValidation.Fail("The Authorization header is not a bearer token.");
        }

        var parts = authorization[scheme.Length..].Trim().Split('.');
        if (parts.Length != 3 || !TryDecode(parts[0], out var header) || !TryDecode(parts[1], out var payload) || !TryDecode(parts[2], out var signature))
        {
            return TokenValidation.Fail("The token is malformed.");
        }

        if (!IsHs256(header))
        {
            return TokenValidation.Fail("The token's signing algorithm is not accepted.");
        }

        var expected = HMACSHA256.HashData(key.Key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            return TokenValidation.Fail("The token's signature is invalid.");
        }

        return ValidateClaims(payload, audiences, now);
    }

    private TokenValidation ValidateClaims(byte[] payload, IReadOnlyCollection<string> audiences, DateTimeOffset now)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            var expires = DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("exp").GetInt64());
            var notBefore = DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("nbf").GetInt64());
            if (now > expires + _skew)
            {
                return TokenValidation.Fail("The token is expired.");
            }

            if (now < notBefore - _skew)
            {
                return TokenValidation.Fail("The token is not yet valid.");
            }

            var audience = root.GetProperty("aud").GetString() ?? "";
            if (!audiences.Any(a => string.Equals(a.TrimEnd('/'), audience.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)))
            {
                return TokenValidation.Fail("The token's audience is not accepted by this API.");
            }

            if (!Guid.TryParse(root.GetProperty("tid").GetString(), out var tenantId))
            {
                return TokenValidation.Fail("The token has no valid tid claim.");
            }

            var clientId = root.GetProperty("appid").GetString() ?? "";
            return new TokenValidation(new AccessTokenClaims(tenantId, clientId, audience, expires), null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return TokenValidation.Fail("The token's claims are malformed.");
        }
    }

    private static bool IsHs256(byte[] header)
    {
        try
        {
            using var document = JsonDocument.Parse(header);
            return document.RootElement.TryGetProperty("alg", out var alg) && alg.ValueEquals("HS256");
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryDecode(string text, out byte[] data)
    {
        try
        {
            data = Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            data = [];
            return false;
        }
    }
}
