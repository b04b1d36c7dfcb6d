using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Defender.Mssp.TestKit;

/// <summary>
/// Client (application) certificates for certificate-credential tests: RSA self-signed certificates as an MSSP would
/// upload to an app registration, in the encodings the product accepts (PKCS#12 base64 or files, PEM with a plain or
/// encrypted key) and the public form the simulator registers.
/// </summary>
public static class ClientCertificates
{
    /// <summary>An RSA certificate with its private key, valid from <paramref name="notBefore"/> (a day ago) to <paramref name="notAfter"/> (in 90 days).</summary>
    public static X509Certificate2 Create(
        string subject = "CN=Defender.Mssp test client", DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, int keySize = 2048)
    {
        using var key = RSA.Create(keySize);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(notBefore ?? now.AddDays(-1), notAfter ?? now.AddDays(90));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>The PKCS#12 (.pfx) bytes, protected by <paramref name="password"/> when given.</summary>
    public static byte[] ToPfx(X509Certificate2 certificate, string? password = null) =>
        certificate.Export(X509ContentType.Pkcs12, password);

    public static string ToPfxBase64(X509Certificate2 certificate, string? password = null) => Convert.ToBase64String(ToPfx(certificate, password));

    /// <summary>Certificate and PKCS#8 private key as PEM; the key encrypted with <paramref name="password"/> when given.</summary>
    public static string ToPem(X509Certificate2 certificate, string? password = null)
    {
        using var rsa = certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException("The certificate has no RSA private key.");
        var key = password is null
            ? rsa.ExportPkcs8PrivateKeyPem()
            : rsa.ExportEncryptedPkcs8PrivateKeyPem(password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000));
        return certificate.ExportCertificatePem() + "\n" + key + "\n";
    }

    /// <summary>The public certificate as PEM: what is uploaded to the app registration.</summary>
    public static string PublicPem(X509Certificate2 certificate) => certificate.ExportCertificatePem();

    /// <summary>The private key's PKCS#8 bytes as base64: the text that must never leak.</summary>
    public static string PrivateKeyBase64(X509Certificate2 certificate)
    {
        using var rsa = certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException("The certificate has no RSA private key.");
        return Convert.ToBase64String(rsa.ExportPkcs8PrivateKey());
    }

    /// <summary>Writes the certificate as a .pfx file and returns the path.</summary>
    public static string WritePfx(X509Certificate2 certificate, string directory, string? password = null)
    {
        var path = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".pfx");
        File.WriteAllBytes(path, ToPfx(certificate, password));
        return path;
    }

    /// <summary>Writes certificate and key as one PEM file and returns the path.</summary>
    public static string WritePem(X509Certificate2 certificate, string directory, string? password = null)
    {
        var path = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllText(path, ToPem(certificate, password), Encoding.ASCII);
        return path;
    }

    /// <summary>
    /// A self-signed server certificate (its own anchor) for localhost, 127.0.0.1 and every address of
    /// <paramref name="addresses"/>, for a simulator reached through loopback aliases (see <see cref="LoopbackAlias"/>).
    /// </summary>
    public static X509Certificate2 CreateServerCertificate(IEnumerable<IPAddress> addresses)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Defender.Simulator cloud hosts", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        foreach (var address in addresses)
        {
            names.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, critical: false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(7));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }
}
