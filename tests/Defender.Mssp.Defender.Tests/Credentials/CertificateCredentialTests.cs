using Defender.Mssp.Defender.Sources;
using Defender.Mssp.Defender.Tests.Fakes;
using Defender.Mssp.Defender.Tokens;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Defender.Tests.Credentials;

/// <summary>
/// Certificate credentials end to end through the product's MSAL token provider and the simulator's token endpoint,
/// which verifies the client assertion's signature against the registered certificate.
/// </summary>
public sealed class CertificateCredentialTests
{
    private const string IncidentsResource = "https://api.security.microsoft.com";
    private const string Password = "pfx-pass~word 1";

    [Fact]
    public async Task A_certificate_tenant_gets_a_token_with_its_certificate_and_reads_incidents()
    {
        await using var simulator = await CertificateSimulator.StartAsync();
        using var certificate = ClientCertificates.Create();
        var clientId = Guid.NewGuid().ToString();
        var tenantId = await simulator.AddCertificateTenantAsync(clientId, certificate);
        var tenant = new TenantSettings
        {
            TenantId = tenantId.ToString(),
            ClientId = clientId,
            ClientCertificate = TenantCertificate.FromPkcs12(ClientCertificates.ToPfx(certificate, Password), Password),
        };
        var now = DateTimeOffset.UtcNow;

        var records = await simulator.Get<IncidentsSource>().ReadAsync(tenant, new RecordWindow(now.AddHours(-3), now), default).ToListAsync();

        Assert.NotEmpty(records);
        var token = Assert.Single(await simulator.Credentials.GetTokenRequestsAsync(tenantId));
        Assert.Equal(("certificate", "v2", 200, IncidentsResource), (token.Credential, token.Endpoint, token.Status, token.Resource));
    }

    [Fact]
    public async Task A_certificate_the_app_does_not_know_fails_with_AADSTS700027_and_no_key_material_in_the_exception()
    {
        await using var simulator = await CertificateSimulator.StartAsync();
        using var registered = ClientCertificates.Create("CN=registered");
        using var other = ClientCertificates.Create("CN=someone else's");
        var clientId = Guid.NewGuid().ToString();
        var tenantId = await simulator.AddCertificateTenantAsync(clientId, registered);
        var pem = ClientCertificates.ToPem(other, Password);
        var tenant = new TenantSettings
        {
            TenantId = tenantId.ToString(),
            ClientId = clientId,
            ClientCertificate = TenantCertificate.FromPem(pem, Password),
        };

        var error = await Assert.ThrowsAsync<TokenAcquisitionException>(() =>
            simulator.Get<IAccessTokenProvider>().GetTokenAsync(tenant, IncidentsResource, false, default));

        Assert.Equal((AadstsCodes.InvalidClientAssertionSignature, "invalid_client", false), (error.AadstsCode, error.ErrorCode, error.IsTransient));
        Assert.Contains("client certificate is not registered", error.Message, StringComparison.Ordinal);
        var text = error.ToString();
        foreach (var leak in new[] { pem, ClientCertificates.PrivateKeyBase64(other), Password, PemBody(pem) })
        {
            Assert.DoesNotContain(leak, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Rotating_from_a_secret_to_a_certificate_gets_a_new_token_with_the_certificate()
    {
        await using var simulator = await CertificateSimulator.StartAsync();
        using var certificate = ClientCertificates.Create();
        var clientId = Guid.NewGuid().ToString();
        const string secret = "old-secret~value-1";
        var tenantId = (await simulator.Admin.PutTenantAsync(TestKit.Simulation.TenantSpec.Create(Guid.NewGuid(), clientId, secret))).TenantId;
        var secretKey = (await simulator.Admin.GetTenantAsync(tenantId))!.Apps.Single().Secrets.Single().KeyId!.Value;
        await simulator.Credentials.AddCertificateAsync(tenantId, clientId, certificate);
        var tokens = simulator.Get<IAccessTokenProvider>();
        var withSecret = new TenantSettings { TenantId = tenantId.ToString(), ClientId = clientId, ClientSecret = new Secret(secret) };

        var before = await tokens.GetTokenAsync(withSecret, IncidentsResource, false, default);
        await simulator.Admin.RevokeSecretAsync(tenantId, clientId, secretKey);
        var rotated = withSecret with
        {
            ClientSecret = null,
            ClientCertificate = TenantCertificate.FromPem(ClientCertificates.ToPem(certificate), null),
        };
        var after = await tokens.GetTokenAsync(rotated, IncidentsResource, false, default);

        Assert.False(after.FromCache);
        Assert.NotEqual(before.Token, after.Token);
        Assert.Equal(
            [("secret", 200), ("certificate", 200)],
            (await simulator.Credentials.GetTokenRequestsAsync(tenantId)).Select(r => (r.Credential, r.Status)));
    }

    [Fact]
    public async Task With_both_a_secret_and_a_certificate_the_certificate_is_used()
    {
        await using var simulator = await CertificateSimulator.StartAsync();
        using var certificate = ClientCertificates.Create();
        var clientId = Guid.NewGuid().ToString();
        const string secret = "still-valid~secret-2";
        var tenantId = (await simulator.Admin.PutTenantAsync(TestKit.Simulation.TenantSpec.Create(Guid.NewGuid(), clientId, secret))).TenantId;
        await simulator.Credentials.AddCertificateAsync(tenantId, clientId, certificate);
        var tenant = new TenantSettings
        {
            TenantId = tenantId.ToString(),
            ClientId = clientId,
            ClientSecret = new Secret(secret),
            ClientCertificate = TenantCertificate.FromPkcs12(ClientCertificates.ToPfx(certificate), null),
        };

        await simulator.Get<IAccessTokenProvider>().GetTokenAsync(tenant, IncidentsResource, false, default);

        Assert.Equal("certificate", Assert.Single(await simulator.Credentials.GetTokenRequestsAsync(tenantId)).Credential);
    }

    [Fact]
    public void The_resolver_prefers_the_certificate_and_fingerprints_it_by_thumbprint()
    {
        using var certificate = ClientCertificates.Create();
        var fromPfx = TenantCertificate.FromPkcs12(ClientCertificates.ToPfx(certificate, Password), Password);
        var fromPem = TenantCertificate.FromPem(ClientCertificates.ToPem(certificate), null);
        var resolver = new TenantCredentialResolver();
        var tenant = new TenantSettings { TenantId = Guid.NewGuid().ToString(), ClientId = "app", ClientSecret = new Secret("s"), ClientCertificate = fromPfx };

        var resolved = Assert.IsType<ClientCertificateCredential>(resolver.Resolve(tenant));
        var samePair = Assert.IsType<ClientCertificateCredential>(resolver.Resolve(tenant with { ClientCertificate = fromPem }));

        Assert.Equal(resolved.Fingerprint, samePair.Fingerprint);
        Assert.DoesNotContain(certificate.Thumbprint, resolved.Fingerprint, StringComparison.OrdinalIgnoreCase);
        Assert.IsType<ClientSecretCredential>(resolver.Resolve(tenant with { ClientCertificate = null }));
        Assert.Null(resolver.Resolve(tenant with { ClientCertificate = null, ClientSecret = null }));
        Assert.Equal("***", resolved.Redact(fromPfx.Material.Reveal()));
        Assert.Equal("a *** b", resolved.Redact($"a {Password} b"));
    }

    /// <summary>The base64 of the PEM's key block, in case the text were reflowed into one line.</summary>
    private static string PemBody(string pem)
    {
        var start = pem.IndexOf("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal);
        var end = pem.IndexOf("-----END", start, StringComparison.Ordinal);
        return pem[(start + 37)..end].Trim().Split('\n')[0];
    }
}
