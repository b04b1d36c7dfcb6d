using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Api.Tests.Infrastructure;

/// <summary>Client certificates (valid, expired, EC, public-only) and the <c>credential</c> request members that carry them.</summary>
public static class CertificateBodies
{
    private static readonly Lazy<X509Certificate2> ValidCertificate = new(() => ClientCertificates.Create("CN=api test client"));

    private static readonly Lazy<X509Certificate2> ExpiredCertificate = new(() =>
        ClientCertificates.Create("CN=expired client", DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddDays(-1)));

    /// <summary>A valid RSA client certificate with its key, for 90 days.</summary>
    public static X509Certificate2 Valid => ValidCertificate.Value;

    public static X509Certificate2 Expired => ExpiredCertificate.Value;

    /// <summary>A PKCS#12 of an EC certificate, which Entra ID does not take for applications.</summary>
    public static string EcPfxBase64()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=ec client", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return Convert.ToBase64String(certificate.Export(X509ContentType.Pkcs12));
    }

    /// <summary>The <c>credential</c> object for a PKCS#12 upload.</summary>
    public static JsonObject Pfx(X509Certificate2 certificate, string? password) => new()
    {
        ["kind"] = "certificate",
        ["pfxBase64"] = ClientCertificates.ToPfxBase64(certificate, password),
        ["password"] = password,
    };

    /// <summary>The <c>credential</c> object for a PEM upload.</summary>
    public static JsonObject Pem(X509Certificate2 certificate, string? password) => new()
    {
        ["kind"] = "certificate",
        ["pem"] = ClientCertificates.ToPem(certificate, password),
        ["password"] = password,
    };

    /// <summary>A tenant body with <paramref name="credential"/> instead of a client secret.</summary>
    public static JsonObject Tenant(JsonObject credential, string? tenantId = null)
    {
        var body = TestTenants.Body(tenantId);
        body.Remove("clientSecret");
        body["credential"] = credential;
        return body;
    }

    /// <summary><paramref name="credential"/> as a JSON member (<c>"credential":{…}</c>) to splice into a body.</summary>
    public static string Member(JsonObject credential) => "\"credential\":" + credential.ToJsonString();
}
