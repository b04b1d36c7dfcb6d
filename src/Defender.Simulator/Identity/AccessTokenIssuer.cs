using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Defender.Simulator.Records;

namespace Defender.Simulator.Identity;

/// <summary>
/// Issues access tokens: JWTs signed with the simulator's HS256 key, carrying the claims the Defender APIs read
/// (tid, aud, appid/azp, iat, nbf, exp) plus the other claims of a v1 app-only token.
/// </summary>
internal sealed class AccessTokenIssuer(TokenSigningKey key)
{
    private static readonly byte[] Header = Encoding.UTF8.GetBytes("""{"typ":"JWT","alg":"HS256","kid":"simulator"}""");

    public string Issue(Guid tenantId, string clientId, string audience, DateTimeOffset issuedAt, TimeSpan lifetime)
    {
        var payload = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(payload, WireJson.Options))
        {
            var servicePrincipal = new DeterministicRandom(DeterministicRandom.Derive(
                (ulong)tenantId.GetHashCode(), clientId.ToUpperInvariant())).NextGuid();
            writer.WriteStartObject();
            writer.WriteString("aud", audience);
            writer.WriteString("iss", $"https://sts.windows.net/{tenantId}/");
            writer.WriteNumber("iat", issuedAt.ToUnixTimeSeconds());
            writer.WriteNumber("nbf", issuedAt.ToUnixTimeSeconds());
            writer.WriteNumber("exp", (issuedAt + lifetime).ToUnixTimeSeconds());
            writer.WriteString("aio", Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
            writer.WriteString("appid", clientId);
            writer.WriteString("appidacr", "1");
            writer.WriteString("azp", clientId);
            writer.WriteString("idp", $"https://sts.windows.net/{tenantId}/");
            writer.WriteString("oid", servicePrincipal);
            writer.WriteStartArray("roles");
            writer.WriteStringValue("Incident.Read.All");
            writer.WriteStringValue("Alert.Read.All");
            writer.WriteEndArray();
            writer.WriteString("sub", servicePrincipal);
            writer.WriteString("tid", tenantId);
            writer.WriteString("uti", Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)));
            writer.WriteString("ver", "1.0");
            writer.WriteEndObject();
        }

        var signingInput = Base64Url.EncodeToString(Header) + "." + Base64Url.EncodeToString(payload.WrittenSpan);
        var signature = HMACSHA256.HashData(key.Key, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }
}
