using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;

namespace Defender.Simulator.Tests.Identity;

/// <summary>
/// Certificate credentials at the token endpoint: a client assertion signed with the registered certificate's key
/// gets a token on either endpoint; each thing Entra ID checks, when wrong, gets its AADSTS answer.
/// </summary>
public sealed class ClientAssertionTests : IAsyncLifetime
{
    private const string JwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private static readonly X509Certificate2 Registered = ClientCertificates.Create(
        "CN=registered", TestSimulator.Start.AddDays(-30), TestSimulator.Start.AddDays(335));

    private static readonly X509Certificate2 Stranger = ClientCertificates.Create(
        "CN=stranger", TestSimulator.Start.AddDays(-30), TestSimulator.Start.AddDays(335));

    private TestSimulator _sim = null!;
    private Guid _tenantId;

    public async Task InitializeAsync()
    {
        _sim = await TestSimulator.StartAsync();
        _tenantId = (await _sim.AddTenantAsync()).TenantId;
        await new SimulatorCredentialAdmin(_sim.Http).AddCertificateAsync(_tenantId, TestSimulator.ClientId, Registered);
    }

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    [Theory]
    [InlineData(true, "PS256")]
    [InlineData(false, "RS256")]
    public async Task An_assertion_signed_by_the_registered_certificate_gets_a_token_the_api_accepts(bool v2, string algorithm)
    {
        var assertion = Builder(v2);
        assertion.Algorithm = algorithm;
        assertion.IncludeX5t = !v2;
        assertion.IncludeX5tS256 = v2;

        using var response = await RequestAsync(assertion.Build(), v2);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var api = await _sim.GetAsync("api/incidents", body.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        var logged = Assert.Single(await new SimulatorCredentialAdmin(_sim.Http).GetTokenRequestsAsync(_tenantId));
        Assert.Equal(("certificate", 200, v2 ? "v2" : "v1"), (logged.Credential, logged.Status, logged.Endpoint));
    }

    [Theory]
    [InlineData("signed-by-another-key", 401, "invalid_client", 700027, "did not match the expected signature")]
    [InlineData("unregistered-certificate", 401, "invalid_client", 700027, "The key was not found")]
    [InlineData("x5t-of-another-certificate", 401, "invalid_client", 700027, "The key was not found")]
    [InlineData("no-thumbprint", 401, "invalid_client", 700027, "The key was not found")]
    [InlineData("unsupported-algorithm", 401, "invalid_client", 700027, "did not match the expected signature")]
    [InlineData("audience-of-another-tenant", 401, "invalid_client", 700023, "audience claim does not match")]
    [InlineData("audience-of-another-host", 401, "invalid_client", 700023, "audience claim does not match")]
    [InlineData("issuer-is-another-client", 401, "invalid_client", 700021, "doesn't match 'client_id'")]
    [InlineData("expired", 401, "invalid_client", 700024, "not within its valid time range")]
    [InlineData("not-yet-valid", 401, "invalid_client", 700024, "not within its valid time range")]
    [InlineData("no-jti", 400, "invalid_request", 50027, "jti")]
    [InlineData("no-exp", 400, "invalid_request", 50027, "exp")]
    [InlineData("not-a-jwt", 400, "invalid_request", 50027, "three parts")]
    public async Task A_wrong_assertion_is_refused_with_the_AADSTS_code_Entra_ID_gives(
        string wrong, int status, string error, int code, string reason)
    {
        var builder = Builder(v2: true);
        switch (wrong)
        {
            case "signed-by-another-key":
                builder = new ClientAssertionBuilder(Stranger, TestSimulator.ClientId, Audience(v2: true), TestSimulator.Start)
                {
                    NamedCertificate = Registered,
                };
                break;
            case "unregistered-certificate":
                builder = new ClientAssertionBuilder(Stranger, TestSimulator.ClientId, Audience(v2: true), TestSimulator.Start);
                break;
            case "x5t-of-another-certificate":
                builder.IncludeX5t = true;
                builder.Sha1Named = Stranger;
                break;
            case "no-thumbprint":
                builder.IncludeX5tS256 = false;
                break;
            case "unsupported-algorithm":
                builder.Algorithm = "HS256";
                break;
            case "audience-of-another-tenant":
                builder.Audience = new Uri(_sim.Host.BaseAddress, $"{Guid.NewGuid()}/oauth2/v2.0/token").ToString();
                break;
            case "audience-of-another-host":
                builder.Audience = $"https://login.microsoftonline.com/{_tenantId}/oauth2/v2.0/token";
                break;
            case "issuer-is-another-client":
                builder.Issuer = builder.Subject = Guid.NewGuid().ToString();
                break;
            case "expired":
                builder.NotBefore = TestSimulator.Start.AddHours(-2);
                builder.ExpiresAt = TestSimulator.Start.AddHours(-1);
                break;
            case "not-yet-valid":
                builder.NotBefore = TestSimulator.Start.AddHours(1);
                builder.ExpiresAt = TestSimulator.Start.AddHours(2);
                break;
            case "no-jti":
                builder.JwtId = null;
                break;
            case "no-exp":
                builder.ExpiresAt = null;
                break;
        }

        var assertion = wrong == "not-a-jwt" ? "not.a-jwt" : builder.Build();
        using var response = await RequestAsync(assertion, v2: true);

        var body = await AssertRefusedAsync(response, status, error, code);
        Assert.Contains(reason, body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_whose_key_credential_expired_is_refused_with_AADSTS700027_key_expired()
    {
        var tenant = await _sim.AddTenantAsync();
        await new SimulatorCredentialAdmin(_sim.Http).AddCertificateAsync(
            tenant.TenantId, TestSimulator.ClientId, Registered, expiresAt: TestSimulator.Start.AddDays(1));
        _sim.Clock.Advance(TimeSpan.FromDays(2));
        var now = _sim.Clock.GetUtcNow();
        var audience = new Uri(_sim.Host.BaseAddress, $"{tenant.TenantId}/oauth2/v2.0/token").ToString();

        using var response = await RequestAsync(
            new ClientAssertionBuilder(Registered, TestSimulator.ClientId, audience, now).Build(), v2: true, tenant.TenantId);

        var body = await AssertRefusedAsync(response, 401, "invalid_client", 700027);
        Assert.Contains("The key used is expired", body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, (await _sim.Admin.GetStatsAsync(tenant.TenantId)).TokenRequests.ByError["AADSTS700027"]);
    }

    [Fact]
    public async Task A_removed_certificate_no_longer_authenticates()
    {
        var admin = new SimulatorCredentialAdmin(_sim.Http);
        var tenant = await _sim.AddTenantAsync();
        var keyId = await admin.AddCertificateAsync(tenant.TenantId, TestSimulator.ClientId, Stranger);
        var audience = new Uri(_sim.Host.BaseAddress, $"{tenant.TenantId}/oauth2/v2.0/token").ToString();
        using (var before = await RequestAsync(
                   new ClientAssertionBuilder(Stranger, TestSimulator.ClientId, audience, TestSimulator.Start).Build(), v2: true, tenant.TenantId))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await admin.RemoveCertificateAsync(tenant.TenantId, TestSimulator.ClientId, keyId);

        using var after = await RequestAsync(
            new ClientAssertionBuilder(Stranger, TestSimulator.ClientId, audience, TestSimulator.Start).Build(), v2: true, tenant.TenantId);
        await AssertRefusedAsync(after, 401, "invalid_client", 700027);
    }

    [Theory]
    [InlineData("missing-type", 900144)]
    [InlineData("wrong-type", 50027)]
    [InlineData("secret-too", 50027)]
    public async Task An_assertion_sent_the_wrong_way_is_an_invalid_request(string wrong, int code)
    {
        var form = Form(Builder(v2: true).Build(), v2: true);
        switch (wrong)
        {
            case "missing-type":
                form.Remove("client_assertion_type");
                break;
            case "wrong-type":
                form["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:saml2-bearer";
                break;
            case "secret-too":
                form["client_secret"] = TestSimulator.Secret;
                break;
        }

        using var response = await _sim.RequestTokenAsync(_tenantId.ToString(), form, v2: true);

        await AssertRefusedAsync(response, 400, "invalid_request", code);
    }

    [Fact]
    public async Task A_tenant_registered_with_a_certificate_in_configuration_authenticates_with_it()
    {
        var tenantId = Guid.NewGuid();
        var options = new Hosting.SimulatorOptions
        {
            Tenants =
            [
                new Tenants.TenantDefinition
                {
                    TenantId = tenantId,
                    Apps =
                    [
                        new Tenants.AppRegistration
                        {
                            ClientId = TestSimulator.ClientId,
                            Certificates = [new Tenants.ClientCertificateDefinition { Certificate = Convert.ToBase64String(Registered.RawData) }],
                        },
                    ],
                },
            ],
        };
        await using var sim = await TestSimulator.StartAsync(options);
        var audience = new Uri(sim.Host.BaseAddress, $"{tenantId}/oauth2/token").ToString();
        var form = Form(new ClientAssertionBuilder(Registered, TestSimulator.ClientId, audience, TestSimulator.Start).Build(), v2: false);

        using var response = await sim.RequestTokenAsync(tenantId.ToString(), form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var app = Assert.Single((await sim.Admin.GetTenantAsync(tenantId))!.Apps);
        Assert.Empty(app.Secrets);
    }

    private ClientAssertionBuilder Builder(bool v2) =>
        new(Registered, TestSimulator.ClientId, Audience(v2), TestSimulator.Start);

    private string Audience(bool v2) =>
        new Uri(_sim.Host.BaseAddress, $"{_tenantId}/oauth2/{(v2 ? "v2.0/" : "")}token").ToString();

    private Task<HttpResponseMessage> RequestAsync(string assertion, bool v2, Guid? tenantId = null) =>
        _sim.RequestTokenAsync((tenantId ?? _tenantId).ToString(), Form(assertion, v2), v2);

    private static Dictionary<string, string> Form(string assertion, bool v2)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = TestSimulator.ClientId,
            ["client_assertion_type"] = JwtBearer,
            ["client_assertion"] = assertion,
        };
        form[v2 ? "scope" : "resource"] = v2 ? TestSimulator.IncidentsResource + "/.default" : TestSimulator.IncidentsResource;
        return form;
    }

    private static async Task<JsonElement> AssertRefusedAsync(HttpResponseMessage response, int status, string error, int code)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.Equal(code, body.GetProperty("error_codes")[0].GetInt32());
        Assert.StartsWith($"AADSTS{code}:", body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        return body;
    }
}
