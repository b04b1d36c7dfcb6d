using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Defender.Simulator.Tests.Identity;

/// <summary>
/// Builds client assertions (RFC 7523 JWTs) by hand, as MSAL would make them (PS256, <c>x5t#S256</c>, string
/// <c>exp</c>/<c>nbf</c>) or with any one thing wrong, so each of the token endpoint's checks can be shown to fail.
/// </summary>
internal sealed class ClientAssertionBuilder(X509Certificate2 signer, string clientId, string audience, DateTimeOffset now)
{
    public string Algorithm { get; set; } = "PS256";

    /// <summary>Whose thumbprints the header carries; the signer's by default.</summary>
    public X509Certificate2? NamedCertificate { get; set; }

    /// <summary>Whose SHA-1 thumbprint <c>x5t</c> carries; <see cref="NamedCertificate"/>'s by default.</summary>
    public X509Certificate2? Sha1Named { get; set; }

    public bool IncludeX5t { get; set; }

    public bool IncludeX5tS256 { get; set; } = true;

    public string? Issuer { get; set; } = clientId;

    public string? Subject { get; set; } = clientId;

    public string? Audience { get; set; } = audience;

    public DateTimeOffset? NotBefore { get; set; } = now;

    public DateTimeOffset? ExpiresAt { get; set; } = now.AddMinutes(10);

    public string? JwtId { get; set; } = Guid.NewGuid().ToString();

    public string Build()
    {
        var named = NamedCertificate ?? signer;
        var header = new JsonObject { ["alg"] = Algorithm, ["typ"] = "JWT" };
        if (IncludeX5t)
        {
            header["x5t"] = Base64Url.EncodeToString((Sha1Named ?? named).GetCertHash(HashAlgorithmName.SHA1));
        }

        if (IncludeX5tS256)
        {
            header["x5t#S256"] = Base64Url.EncodeToString(named.GetCertHash(HashAlgorithmName.SHA256));
        }

        var payload = new JsonObject();
        Add(payload, "aud", Audience);
        Add(payload, "iss", Issuer);
        Add(payload, "sub", Subject);
        Add(payload, "nbf", NotBefore?.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(payload, "exp", ExpiresAt?.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add(payload, "jti", JwtId);

        var signingInput = Encode(header) + "." + Encode(payload);
        using var rsa = signer.GetRSAPrivateKey()!;
        var padding = Algorithm == "RS256" ? RSASignaturePadding.Pkcs1 : RSASignaturePadding.Pss;
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, padding);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private static void Add(JsonObject payload, string name, string? value)
    {
        if (value is not null)
        {
            payload[name] = value;
        }
    }

    private static string Encode(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
