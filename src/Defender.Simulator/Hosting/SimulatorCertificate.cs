using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Defender.Simulator.Diagnostics;
using Microsoft.Extensions.Options;

namespace Defender.Simulator.Hosting;

/// <summary>
/// The certificate the simulator serves: the one it was given, the PFX at <c>Simulator:CertificatePath</c>, or a
/// self-signed one for localhost/127.0.0.1 whose public PEM goes to <c>Simulator:CertificateExportPath</c> so
/// callers can trust exactly it.
/// </summary>
public sealed class SimulatorCertificate
{
    private readonly Lazy<X509Certificate2> _certificate;

    internal SimulatorCertificate(X509Certificate2? given, IOptions<SimulatorOptions> options, ILogger<SimulatorCertificate> logger)
    {
        _certificate = new Lazy<X509Certificate2>(() => given ?? LoadOrCreate(options.Value, logger));
    }

    /// <summary>The server certificate (with private key).</summary>
    public X509Certificate2 Certificate => _certificate.Value;

    /// <summary>Creates a self-signed certificate for localhost and 127.0.0.1, valid for a year.</summary>
    public static X509Certificate2 CreateSelfSigned(TimeProvider? time = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Defender.Simulator", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());

        // Marked as its own CA so that, given as a trust anchor (SSL_CERT_FILE), chain building accepts it.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));

        // A PKCS#12 round trip gives a key SslStream can use on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }

    private static X509Certificate2 LoadOrCreate(SimulatorOptions options, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, password: null);
        }

        var certificate = CreateSelfSigned();
        if (!string.IsNullOrWhiteSpace(options.CertificateExportPath))
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(options.CertificateExportPath));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            File.WriteAllText(options.CertificateExportPath, certificate.ExportCertificatePem());
        }

        SimulatorLog.CertificateGenerated(logger, certificate.Subject, options.CertificateExportPath);
        return certificate;
    }
}
