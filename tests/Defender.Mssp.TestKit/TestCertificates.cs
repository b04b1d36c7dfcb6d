using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Defender.Mssp.TestKit;

/// <summary>
/// A self-signed server certificate for the simulator, made per test run so no machine state is needed. Tests trust
/// it explicitly (a PEM file of trust anchors), never by switching certificate validation off.
/// </summary>
public static class TestCertificates
{
    private static readonly Lazy<X509Certificate2> Shared = new(() => CreateServerCertificate());

    /// <summary>One certificate for the whole test run.</summary>
    public static X509Certificate2 Server => Shared.Value;

    /// <summary>Creates a self-signed certificate valid for localhost and 127.0.0.1 (and any extra DNS names).</summary>
    public static X509Certificate2 CreateServerCertificate(params string[] extraDnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Defender.Simulator test", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        foreach (var name in extraDnsNames)
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, critical: false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1")], critical: false));

        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>Writes the certificate's public part as PEM, for a trust-anchor file or <c>SSL_CERT_FILE</c>.</summary>
    public static string WritePublicPem(X509Certificate2 certificate, string path)
    {
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    /// <summary>Writes the certificate with its private key as PKCS#12 (no password), for Kestrel in a child process.</summary>
    public static string WritePfx(X509Certificate2 certificate, string path)
    {
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12));
        return path;
    }
}
