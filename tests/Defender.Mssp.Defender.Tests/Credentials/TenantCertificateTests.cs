using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Defender.Mssp.Tenants;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Defender.Tests.Credentials;

/// <summary>Core's <see cref="TenantCertificate"/>: what it accepts, what it refuses, and that it never shows its key.</summary>
public sealed class TenantCertificateTests : IDisposable
{
    private const string Password = "p@ss w0rd!";

    private static readonly X509Certificate2 Certificate = ClientCertificates.Create("CN=tenant certificate test");

    private readonly string _folder = Directory.CreateTempSubdirectory("tenant-certificate-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> Encodings => ["pfx", "pfx-with-password", "pem", "pem-encrypted", "pfx-file", "pem-file-encrypted"];

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Every_accepted_encoding_gives_the_certificate_with_its_private_key(string encoding)
    {
        var parsed = Parse(encoding);

        Assert.Equal(Certificate.Thumbprint, parsed.Thumbprint);
        Assert.Equal(Certificate.Subject, parsed.Subject);
        Assert.Equal(new DateTimeOffset(Certificate.NotAfter.ToUniversalTime()), parsed.NotAfter);
        using var loaded = parsed.LoadWithPrivateKey();
        Assert.True(loaded.HasPrivateKey);
        using var rsa = loaded.GetRSAPrivateKey()!;
        byte[] data = [1, 2, 3];
        var signature = rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        using var publicKey = Certificate.GetRSAPublicKey()!;
        Assert.True(publicKey.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
    }

    [Fact]
    public void A_wrong_password_is_unreadable_and_the_message_quotes_nothing()
    {
        var pfx = ClientCertificates.ToPfxBase64(Certificate, Password);

        var error = Assert.Throws<InvalidTenantCertificateException>(() => TenantCertificate.FromPkcs12Base64(pfx, "wrong password"));
        var pemError = Assert.Throws<InvalidTenantCertificateException>(() =>
            TenantCertificate.FromPem(ClientCertificates.ToPem(Certificate, Password), "wrong password"));

        Assert.Equal((CertificateProblem.Unreadable, CertificateProblem.Unreadable), (error.Problem, pemError.Problem));
        Assert.DoesNotContain("wrong password", error.Message + pemError.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(pfx[..40], error.Message, StringComparison.Ordinal);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public void A_certificate_without_its_private_key_is_refused()
    {
        var publicPfx = Convert.ToBase64String(X509CertificateLoader.LoadCertificate(Certificate.RawData).Export(X509ContentType.Pkcs12));

        Assert.Equal(CertificateProblem.NoPrivateKey,
            Assert.Throws<InvalidTenantCertificateException>(() => TenantCertificate.FromPkcs12Base64(publicPfx, null)).Problem);
        Assert.Equal(CertificateProblem.NoPrivateKey,
            Assert.Throws<InvalidTenantCertificateException>(() => TenantCertificate.FromPem(ClientCertificates.PublicPem(Certificate), null)).Problem);
    }

    [Fact]
    public void Keys_entra_id_does_not_accept_are_refused()
    {
        using var small = ClientCertificates.Create(keySize: 1024);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ecCertificate = new CertificateRequest("CN=ec", ec, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        Assert.Equal(CertificateProblem.UnsupportedKey,
            Assert.Throws<InvalidTenantCertificateException>(() => TenantCertificate.FromPkcs12(ClientCertificates.ToPfx(small), null)).Problem);
        Assert.Equal(CertificateProblem.UnsupportedKey,
            Assert.Throws<InvalidTenantCertificateException>(() => TenantCertificate.FromPkcs12(ecCertificate.Export(X509ContentType.Pkcs12), null)).Problem);
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("AAAA")]
    public void Material_that_is_not_pkcs12_is_unreadable(string material) =>
        Assert.Equal(CertificateProblem.Unreadable,
            Assert.Throws<InvalidTenantCertificateException>(() => TenantCertificate.FromPkcs12Base64(material, null)).Problem);

    [Fact]
    public void Neither_ToString_nor_json_nor_a_record_holding_it_shows_the_material_or_password()
    {
        var certificate = Parse("pfx-with-password");
        var settings = new TenantSettings { TenantId = "t", ClientId = "c", ClientCertificate = certificate };

        var shown = string.Join("\n", certificate.ToString(), settings.ToString(), JsonSerializer.Serialize(settings));

        Assert.Contains(certificate.Thumbprint, shown, StringComparison.Ordinal);
        Assert.DoesNotContain(certificate.Material.Reveal()[..64], shown, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, shown, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientCertificates.PrivateKeyBase64(Certificate)[..64], shown, StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TenantCertificate>("""{"thumbprint":"00"}"""));
    }

    [Fact]
    public void Certificates_are_equal_by_material_and_password_so_rebuilt_settings_are_unchanged()
    {
        var pfx = ClientCertificates.ToPfxBase64(Certificate, Password);
        var a = new TenantSettings { TenantId = "t", ClientId = "c", ClientCertificate = TenantCertificate.FromPkcs12Base64(pfx, Password) };
        var b = a with { ClientCertificate = TenantCertificate.FromPkcs12Base64(pfx, Password) };
        var other = a with { ClientCertificate = TenantCertificate.FromPem(ClientCertificates.ToPem(Certificate), null) };

        Assert.Equal(a, b);
        Assert.NotEqual(a, other);
    }

    private TenantCertificate Parse(string encoding) => encoding switch
    {
        "pfx" => TenantCertificate.FromPkcs12(ClientCertificates.ToPfx(Certificate), null),
        "pfx-with-password" => TenantCertificate.FromPkcs12Base64(ClientCertificates.ToPfxBase64(Certificate, Password), Password),
        "pem" => TenantCertificate.FromPem(ClientCertificates.ToPem(Certificate), null),
        "pem-encrypted" => TenantCertificate.FromPem(ClientCertificates.ToPem(Certificate, Password), Password),
        "pfx-file" => TenantCertificate.FromFile(ClientCertificates.WritePfx(Certificate, _folder, Password), Password),
        "pem-file-encrypted" => TenantCertificate.FromFile(ClientCertificates.WritePem(Certificate, _folder, Password), Password),
        _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
    };
}
