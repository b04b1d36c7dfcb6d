using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Defender.Mssp.Runtime.Development;

/// <summary>
/// A self-signed server certificate for loopback HTTPS (the simulator in the AppHost and in tests), made per run so
/// no machine state is needed. Clients trust it explicitly as an anchor; validation is never switched off.
/// </summary>
public static class LoopbackCertificate
{
    /// <summary>Valid for localhost, 127.0.0.1 and any <paramref name="extraDnsNames"/>, from a minute ago for <paramref name="lifetime"/>.</summary>
    public static X509Certificate2 Create(string subject, TimeSpan lifetime, params string[] extraDnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        foreach (var name in extraDnsNames)
        {
            names.AddDnsName(name);
        }

        request.CertificateExtensions.Add(names.Build());
        // Its own anchor: a CA constraint lets chain building accept it as the root it is.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, critical: false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow + lifetime);
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>Writes the certificate with its private key as PKCS#12 (no password), for Kestrel in a child process.</summary>
    public static string WritePfx(X509Certificate2 certificate, string path)
    {
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12));
        return path;
    }

    /// <summary>Writes the public certificate as PEM, for a trust-anchor file or <c>SSL_CERT_FILE</c>.</summary>
    public static string WritePublicPem(X509Certificate2 certificate, string path)
    {
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }
}
