using System.Security.Cryptography.X509Certificates;
using Defender.Mssp.Runtime.Development;

namespace Defender.Mssp.TestKit;

/// <summary>
/// The simulator's server certificate for the test run (see <see cref="LoopbackCertificate"/>). Tests trust it
/// explicitly (a PEM file of trust anchors, or a client pinned to it), never by switching validation off.
/// </summary>
public static class TestCertificates
{
    private static readonly Lazy<X509Certificate2> Shared = new(() => CreateServerCertificate());

    /// <summary>One certificate for the whole test run.</summary>
    public static X509Certificate2 Server => Shared.Value;

    public static X509Certificate2 CreateServerCertificate(params string[] extraDnsNames) =>
        LoopbackCertificate.Create("Defender.Simulator test", TimeSpan.FromDays(30), extraDnsNames);

    public static string WritePublicPem(X509Certificate2 certificate, string path) =>
        LoopbackCertificate.WritePublicPem(certificate, path);

    public static string WritePfx(X509Certificate2 certificate, string path) => LoopbackCertificate.WritePfx(certificate, path);
}
