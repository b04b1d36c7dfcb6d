using System.Net;
using System.Net.Sockets;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.Http;
using Defender.Mssp.Defender.Tests.Fakes;
using Defender.Mssp.Defender.Tokens;
using Defender.Mssp.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Defender.Mssp.Defender.Tests.Fakes.TestTenants;

namespace Defender.Mssp.Defender.Tests.Http;

/// <summary>
/// The shared handler against a real HTTPS server on loopback whose certificate chains to a generated CA: trusted
/// through <c>Defender:Http:TrustedCertificatesPath</c> only, with host names still checked — for the API clients and
/// for MSAL alike.
/// </summary>
public sealed class HttpsTrustTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("defender-trust-").FullName;
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _root =
        GeneratedCertificates.CreateRoot("Defender simulator test CA");
    private LoopbackHttpsServer _server = null!;
    private readonly List<string> _seen = [];

    public async Task InitializeAsync()
    {
        var certificate = GeneratedCertificates.CreateServer(_root);
        _server = await LoopbackHttpsServer.StartAsync(certificate, app =>
        {
            app.MapGet("/", () => "ok");
            app.MapPost("/{tenant}/oauth2/v2.0/token", (string tenant) =>
            {
                lock (_seen) { _seen.Add($"token {tenant}"); }
                return Results.Json(new { token_type = "Bearer", expires_in = 3599, access_token = $"tls-token-{tenant}" });
            });
            app.MapGet("/api/incidents", (HttpRequest request) =>
            {
                lock (_seen) { _seen.Add($"incidents {request.Headers.Authorization} {request.Headers["X-Mssp-Tenant-Id"]}"); }
                return Results.Text(
                    "{\"value\":[" + FakeIncidentsApi.IncidentJson(42, Start.AddHours(2)) + "]}", "application/json");
            });
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _root.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private HttpClient ClientTrusting(string? pemPath, string? connectTo = null)
    {
        var handler = new DefenderHttpHandlerFactory(Options.Create(new DefenderHttpOptions { TrustedCertificatesPath = pemPath }))
            .CreateHandler();
        if (connectTo is not null)
        {
            // Resolve any host name to the loopback server, so only the name in the URL differs.
            handler.ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, token);
                return new NetworkStream(socket, ownsSocket: true);
            };
        }

        return new HttpClient(handler);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task A_server_chaining_to_a_configured_anchor_is_trusted(string host)
    {
        using var client = ClientTrusting(GeneratedCertificates.WritePem(_directory, _root));

        var body = await client.GetStringAsync($"https://{host}:{_server.BaseUri.Port}/");

        Assert.Equal("ok", body);
    }

    [Fact]
    public async Task Without_anchors_the_server_is_not_trusted()
    {
        using var client = ClientTrusting(null);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync(_server.BaseUri));

        Assert.True(CertificateFailures.IsCertificateFailure(error));
    }

    [Fact]
    public async Task Anchors_of_another_ca_do_not_make_the_server_trusted()
    {
        using var other = GeneratedCertificates.CreateRoot("Another CA");
        using var client = ClientTrusting(GeneratedCertificates.WritePem(_directory, other));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync(_server.BaseUri));
    }

    [Fact]
    public async Task A_host_name_the_certificate_does_not_name_is_rejected_despite_the_anchor()
    {
        using var client = ClientTrusting(GeneratedCertificates.WritePem(_directory, _root), connectTo: "loopback");

        var error = await Assert.ThrowsAsync<HttpRequestException>(
            () => client.GetStringAsync($"https://defender.example:{_server.BaseUri.Port}/"));

        Assert.True(CertificateFailures.IsCertificateFailure(error));
    }

    private ServiceProvider Services(string? pemPath)
    {
        var settings = new Dictionary<string, string?>(DefenderEndpointsConfiguration.AllAt(_server.BaseUri))
        {
            ["Defender:Http:TrustedCertificatesPath"] = pemPath,
            ["Defender:Tokens:RetryOnceOn5xx"] = "false",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddDefenderClients(configuration).BuildServiceProvider();
    }

    [Fact]
    public async Task Msal_and_the_api_client_both_use_the_trusted_handler_end_to_end()
    {
        await using var services = Services(GeneratedCertificates.WritePem(_directory, _root));
        var source = services.GetRequiredService<Defender.Sources.IncidentsSource>();
        var tenant = Tenant();

        var records = await source.ReadAsync(tenant, Day, default).ToListAsync();

        Assert.Equal("42", Assert.Single(records).Id);
        lock (_seen)
        {
            Assert.Equal([$"token {tenant.TenantId}", $"incidents Bearer tls-token-{tenant.TenantId} {tenant.TenantId}"], _seen);
        }

        Assert.NotNull(source.TokenExpiresOn(tenant));
    }

    [Fact]
    public async Task Msal_rejects_an_untrusted_token_endpoint_as_a_configuration_error()
    {
        await using var services = Services(pemPath: null);
        var tokens = services.GetRequiredService<IAccessTokenProvider>();

        var error = await Assert.ThrowsAsync<TokenAcquisitionException>(
            () => tokens.GetTokenAsync(Tenant(), "https://api.security.microsoft.com", false, default));

        Assert.Equal("untrusted_certificate", error.ErrorCode);
        Assert.False(error.IsTransient);
        lock (_seen)
        {
            Assert.Empty(_seen);
        }
    }
}
