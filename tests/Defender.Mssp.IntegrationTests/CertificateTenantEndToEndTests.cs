using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Defender.Mssp.IntegrationTests.Infrastructure;
using Defender.Mssp.Sources;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;
using Xunit.Abstractions;

namespace Defender.Mssp.IntegrationTests;

/// <summary>
/// A customer whose app registration has a certificate and no secret, onboarded through the management API with the
/// certificate's PEM and private key: the real silo unseals it, signs client assertions with it, the simulator checks
/// the signature against the registered certificate, and the tenant's records reach the sink. Then the certificate is
/// rotated through the API and the next token is signed with the new one.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class CertificateTenantEndToEndTests(AzuriteFixture azurite, SimulatorFixture simulator, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);


    private readonly SiloScope _scope = new("cert-e2e", output);
    private SiloProcess _silo = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _scope.DisposeAsync().AsTask();

    [Fact]
    public async Task A_tenant_onboarded_with_a_certificate_is_polled_with_it_and_a_rotated_certificate_signs_the_next_token()
    {
        // The app is registered with an unrelated secret nobody gives the product: only the certificate can work.
        var tenant = TestTenant.Create(Guid.NewGuid().ToString(), TestTenant.NewSecret());
        await tenant.RegisterAsync(simulator, Generators.Quiet);
        var credentials = new SimulatorCredentialAdmin(simulator.CreateHttpClient());
        using var first = ClientCertificates.Create("CN=contoso mssp connector");
        using var second = ClientCertificates.Create("CN=contoso mssp connector 2027");
        var firstKey = await credentials.AddCertificateAsync(tenant.TenantId, tenant.ClientId, first);
        var password = TestTenant.NewSecret();

        var container = AzuriteFixture.UniqueContainerName("cert-e2e");
        await using var api = new ApiHost(azurite, container, _scope.SinkFolder);
        var admin = api.Admin();
        _silo = _scope.Start("silo-cert", new SiloEnvironment(azurite, simulator, container, _scope.SinkFolder).With());

        var onboarded = await admin.PostAsync("/tenants", JsonContent.Create(new JsonObject
        {
            ["tenantId"] = tenant.TenantId.ToString(),
            ["clientId"] = tenant.ClientId,
            ["pollInterval"] = "00:00:02",
            ["initialLookback"] = "00:30:00",
            ["credential"] = new JsonObject { ["kind"] = "certificate", ["pem"] = ClientCertificates.ToPem(first, password), ["password"] = password },
        }));
        Assert.Equal(HttpStatusCode.Created, onboarded.StatusCode);

        await Eventually.HoldsAsync(async () => await RecordsInSinkAsync(tenant) > 0 && await CallsAsync(tenant) >= 2, Patience, Describe(tenant));
        var tokens = await credentials.GetTokenRequestsAsync(tenant.TenantId);
        Assert.NotEmpty(tokens);
        Assert.All(tokens, token => Assert.Equal(("certificate", 200), (token.Credential, token.Status)));
        var status = await admin.GetFromJsonAsync<JsonObject>($"/tenants/{tenant.TenantId}/status");
        Assert.Equal("Healthy", status!["health"]!.GetValue<string>());
        Assert.Equal(first.Thumbprint, status["certificate"]!["thumbprint"]!.GetValue<string>());

        // Rotation: the new certificate is registered, uploaded, and the old one removed from the app.
        var secondKeyPassword = TestTenant.NewSecret();
        await credentials.AddCertificateAsync(tenant.TenantId, tenant.ClientId, second);
        var rotated = await admin.PutAsync($"/tenants/{tenant.TenantId}/credentials", JsonContent.Create(new JsonObject
        {
            ["credential"] = new JsonObject { ["kind"] = "certificate", ["pfxBase64"] = ClientCertificates.ToPfxBase64(second, secondKeyPassword), ["password"] = secondKeyPassword },
        }));
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        await credentials.RemoveCertificateAsync(tenant.TenantId, tenant.ClientId, firstKey);
        await Eventually.HoldsAsync(
            async () => (await admin.GetFromJsonAsync<JsonObject>($"/tenants/{tenant.TenantId}/status"))!["certificate"]!["thumbprint"]!.GetValue<string>() == second.Thumbprint,
            Patience, Describe(tenant));
        var callsAfterRotation = await CallsAsync(tenant);
        await Eventually.HoldsAsync(async () => await CallsAsync(tenant) > callsAfterRotation + 2, Patience, Describe(tenant));
        Assert.All(await credentials.GetTokenRequestsAsync(tenant.TenantId), token => Assert.Equal(200, token.Status));

        // Neither password nor key material in the silo's output.
        foreach (var secret in new[] { password, secondKeyPassword, ClientCertificates.PrivateKeyBase64(first)[..64], ClientCertificates.PrivateKeyBase64(second)[..64] })
        {
            Assert.DoesNotContain(secret, _silo.Output, StringComparison.Ordinal);
        }
    }

    private async Task<long> CallsAsync(TestTenant tenant)
    {
        var stats = await simulator.Admin.GetStatsAsync(tenant.TenantId);
        return stats.Calls(DefenderSources.Incidents) + stats.Calls(DefenderSources.Siem);
    }

    private Task<int> RecordsInSinkAsync(TestTenant tenant)
    {
        var folder = Path.Combine(_scope.SinkFolder, tenant.TenantId.ToString());
        return Task.FromResult(Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(file => File.ReadLines(file).Count())
            : 0);
    }

    private Func<Task<string>> Describe(TestTenant tenant) => async () =>
        $"{tenant.TenantId}: {await CallsAsync(tenant)} calls, {await RecordsInSinkAsync(tenant)} records; tokens: "
        + string.Join(", ", (await new SimulatorCredentialAdmin(simulator.CreateHttpClient()).GetTokenRequestsAsync(tenant.TenantId)).Select(t => $"{t.Credential} {t.Status} {t.Error}"))
        + "\n" + _scope.Tail();
}
