using System.Security.Cryptography.X509Certificates;

namespace Defender.Simulator.Hosting;

/// <summary>Builds the simulator as a process: HTTPS on loopback with its own (or a generated) certificate.</summary>
public static class SimulatorApp
{
    /// <summary>Where the simulator listens when no <c>--urls</c> is given.</summary>
    public const string DefaultUrl = "https://127.0.0.1:5443";

    /// <summary>
    /// Creates the builder: services registered, Kestrel serving HTTPS with <paramref name="certificate"/>, else the
    /// PFX at <c>Simulator:CertificatePath</c>, else a generated self-signed certificate. Listens on <c>--urls</c>
    /// (e.g. <c>https://127.0.0.1:0</c>) or <see cref="DefaultUrl"/>.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args, X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddDefenderSimulator(certificate);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
            https.ServerCertificate = kestrel.ApplicationServices.GetRequiredService<SimulatorCertificate>().Certificate));
        return builder;
    }
}
