using System.Security.Cryptography.X509Certificates;
using Defender.AppHost.Hosting;
using Defender.Mssp.Runtime.Development;

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
        using var certificate = LoopbackCertificate.Create("Defender.Simulator (local demo)", TimeSpan.FromDays(7));
        var pfx = LoopbackCertificate.WritePfx(certificate, Path.Combine(folder, "simulator.pfx"));
        var pem = LoopbackCertificate.WritePublicPem(certificate, Path.Combine(folder, "simulator.pem"));
        HealthProbe.TrustedCertificate = X509CertificateLoader.LoadCertificate(certificate.RawData);
        return new DemoCertificate(pfx, pem);
    }
}
