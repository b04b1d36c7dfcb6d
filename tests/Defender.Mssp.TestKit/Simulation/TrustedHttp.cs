using System.Security.Cryptography.X509Certificates;

namespace Defender.Mssp.TestKit.Simulation;

/// <summary>
/// HTTP clients that trust exactly one certificate (the simulator's) as their only root, with normal validation
/// otherwise (host name, validity). Nothing is switched off.
/// </summary>
public static class TrustedHttp
{
    public static SocketsHttpHandler CreateHandler(X509Certificate2 trusted)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(trusted.RawData));
        handler.SslOptions.CertificateChainPolicy = policy;
        return handler;
    }

    public static HttpClient CreateClient(X509Certificate2 trusted, Uri? baseAddress = null) =>
        new(CreateHandler(trusted)) { BaseAddress = baseAddress };
}
