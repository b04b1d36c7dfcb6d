using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Defender.Simulator.Hosting;

/// <summary>
/// The simulator hosted in the calling process on Kestrel, listening on https://127.0.0.1 with a free port. For tests:
/// configuration files and environment variables are ignored, so only the given options apply.
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimulatorHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The simulator's root, e.g. <c>https://127.0.0.1:54321/</c>, with the port actually bound.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The simulator's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a simulator with default options.</summary>
    public static Task<SimulatorHost> StartAsync(X509Certificate2 certificate, TimeProvider? timeProvider, CancellationToken cancellationToken) =>
        StartAsync(new SimulatorOptions(), certificate, timeProvider, cancellationToken);

    /// <summary>
    /// Starts a simulator with <paramref name="options"/>, serving <paramref name="certificate"/>, on
    /// <paramref name="timeProvider"/>'s clock (the system clock when null).
    /// </summary>
    public static async Task<SimulatorHost> StartAsync(
        SimulatorOptions options, X509Certificate2 certificate, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(certificate);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SimulatorHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Only the caller's options: no appsettings.json of whatever project hosts us, no ASPNETCORE_* variables.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        builder.Services.AddDefenderSimulator(certificate);
        builder.Services.Configure<SimulatorOptions>(target => options.CopyTo(target));
        // Built offline: chain building must never try the network (there is none here), and doing it once up front
        // keeps each in-process simulator's first handshake fast.
        var certificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        var tls = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificateContext,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        };
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(tls),
        })));

        var app = builder.Build();
        app.MapDefenderSimulator();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SimulatorHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Stops the simulator.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
