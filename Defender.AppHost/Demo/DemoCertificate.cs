using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Defender.AppHost.Hosting;

namespace Defender.AppHost.Demo;

/// <summary>
/// The simulator's HTTPS certificate for this run: made by the AppHost, served by the simulator (PFX) and trusted by
/// the silos as an explicit trust anchor (PEM) — no machine-wide trust store change, no validation switched off.
/// </summary>
public sealed record DemoCertificate(string PfxPath, string PemPath)
{
    public static DemoCertificate Create(string folder)
    {
        Directory.CreateDirectory(folder);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Defender.Simulator (local demo)", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(7));
        var pfx = Path.Combine(folder, "simulator.pfx");
        var pem = Path.Combine(folder, "simulator.pem");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pkcs12));
        File.WriteAllText(pem, certificate.ExportCertificatePem());
        HealthProbe.TrustedCertificate = X509CertificateLoader.LoadCertificate(certificate.RawData);
        return new DemoCertificate(pfx, pem);
    }
}
