using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Defender.Mssp.TestKit.Simulation;

namespace Defender.Simulator.Tests;

public sealed class TokenEndpointTests
{
    [Fact]
    public async Task V1_token_request_answers_like_the_v1_endpoint()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();

        using var response = await sim.RequestTokenAsync(tenant.TenantId.ToString(), TestSimulator.V1Form());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal("3599", body.GetProperty("expires_in").GetString());
        Assert.Equal("3599", body.GetProperty("ext_expires_in").GetString());
        Assert.Equal((TestSimulator.Start.ToUnixTimeSeconds() + 3599).ToString(), body.GetProperty("expires_on").GetString());
        Assert.Equal(TestSimulator.Start.ToUnixTimeSeconds().ToString(), body.GetProperty("not_before").GetString());
        Assert.Equal(TestSimulator.IncidentsResource, body.GetProperty("resource").GetString());
        Assert.Equal(3, body.GetProperty("access_token").GetString()!.Split('.').Length);
    }

    [Fact]
    public async Task V2_token_request_with_default_scope_answers_like_the_v2_endpoint()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AdminPutWithLifetimeAsync(TimeSpan.FromMinutes(10));

        using var response = await sim.RequestTokenAsync(tenant.TenantId.ToString(), new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = TestSimulator.ClientId,
            ["client_secret"] = TestSimulator.Secret,
            ["scope"] = TestSimulator.IncidentsResource + "/.default",
        }, v2: true);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(600, body.GetProperty("expires_in").GetInt32());
        Assert.Equal(600, body.GetProperty("ext_expires_in").GetInt32());
        Assert.False(body.TryGetProperty("resource", out _));
    }

    [Theory]
    [InlineData("wrong-secret", 401, "invalid_client", 7000215)]
    [InlineData("", 401, "invalid_client", 7000216)]
    public async Task Bad_secret_is_refused_as_invalid_client(string secret, int status, string error, int code)
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();

        var form = TestSimulator.V1Form(secret: secret);
        if (secret.Length == 0)
        {
            form.Remove("client_secret");
        }

        await AssertEntraErrorAsync(await sim.RequestTokenAsync(tenant.TenantId.ToString(), form), status, error, code);
    }

    [Fact]
    public async Task Expired_secret_is_refused_with_AADSTS7000222()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenantId = Guid.NewGuid();
        await sim.Admin.PutTenantAsync(new TenantSpec
        {
            TenantId = tenantId,
            Apps = [new AppSpec { ClientId = TestSimulator.ClientId, Secrets = [new SecretSpec { Value = TestSimulator.Secret, ExpiresAt = TestSimulator.Start.AddHours(1) }] }],
        });

        using (var before = await sim.RequestTokenAsync(tenantId.ToString(), TestSimulator.V1Form()))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        sim.Clock.Advance(TimeSpan.FromHours(1));
        await AssertEntraErrorAsync(await sim.RequestTokenAsync(tenantId.ToString(), TestSimulator.V1Form()), 401, "invalid_client", 7000222);
    }

    [Fact]
    public async Task Client_not_registered_in_the_tenant_is_unauthorized_client_AADSTS700016()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();

        var response = await sim.RequestTokenAsync(tenant.TenantId.ToString(), TestSimulator.V1Form(clientId: Guid.NewGuid().ToString()));

        await AssertEntraErrorAsync(response, 400, "unauthorized_client", 700016);
    }

    [Fact]
    public async Task Missing_admin_consent_is_AADSTS65001_and_granting_it_fixes_the_tenant()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        await sim.Admin.SetConsentAsync(tenant.TenantId, TestSimulator.ClientId, granted: false);

        var refused = await sim.RequestTokenAsync(tenant.TenantId.ToString(), TestSimulator.V1Form());
        var body = await AssertEntraErrorAsync(refused, 400, "invalid_grant", 65001);
        Assert.Equal("consent_required", body.GetProperty("suberror").GetString());

        await sim.Admin.SetConsentAsync(tenant.TenantId, TestSimulator.ClientId, granted: true);
        using var granted = await sim.RequestTokenAsync(tenant.TenantId.ToString(), TestSimulator.V1Form());
        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
    }

    [Fact]
    public async Task Unknown_tenant_is_invalid_request_AADSTS90002()
    {
        await using var sim = await TestSimulator.StartAsync();

        var response = await sim.RequestTokenAsync(Guid.NewGuid().ToString(), TestSimulator.V1Form());

        await AssertEntraErrorAsync(response, 400, "invalid_request", 90002);
        Assert.Equal(1, (await sim.Admin.GetAllStatsAsync()).Global.UnknownTenantTokenRequests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Unknown_resource_is_invalid_resource_AADSTS500011(bool v2)
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var form = TestSimulator.V1Form(resource: "https://api.example.com");
        if (v2)
        {
            form.Remove("resource");
            form["scope"] = "https://api.example.com/.default";
        }

        await AssertEntraErrorAsync(await sim.RequestTokenAsync(tenant.TenantId.ToString(), form, v2), 400, "invalid_resource", 500011);
    }

    [Fact]
    public async Task V2_scope_without_default_suffix_is_invalid_scope()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var form = TestSimulator.V1Form();
        form.Remove("resource");
        form["scope"] = TestSimulator.IncidentsResource + "/Incident.Read.All";

        await AssertEntraErrorAsync(await sim.RequestTokenAsync(tenant.TenantId.ToString(), form, v2: true), 400, "invalid_scope", 1002012);
    }

    [Fact]
    public async Task Error_body_has_Entra_shape_and_echoes_the_client_request_id()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var requestId = Guid.NewGuid();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{tenant.TenantId}/oauth2/token")
        {
            Content = new FormUrlEncodedContent(TestSimulator.V1Form(secret: "nope")),
        };
        request.Headers.Add("client-request-id", requestId.ToString());

        using var response = await sim.Http.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        var description = body.GetProperty("error_description").GetString()!;
        Assert.StartsWith("AADSTS7000215: ", description);
        Assert.Contains($"Correlation ID: {requestId}", description);
        Assert.Contains("'" + TestSimulator.ClientId + "'", description);
        Assert.DoesNotContain("nope", description);
        Assert.Equal(requestId.ToString(), body.GetProperty("correlation_id").GetString());
        Assert.True(Guid.TryParse(body.GetProperty("trace_id").GetString(), out _));
        Assert.Equal("2026-03-01 12:00:00Z", body.GetProperty("timestamp").GetString());
    }

    [Fact]
    public async Task Token_requests_are_counted_per_tenant_and_client()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var other = await sim.AddTenantAsync();

        (await sim.RequestTokenAsync(tenant.TenantId.ToString(), TestSimulator.V1Form())).Dispose();
        (await sim.RequestTokenAsync(tenant.TenantId.ToString(), TestSimulator.V1Form())).Dispose();
        (await sim.RequestTokenAsync(tenant.TenantId.ToString(), TestSimulator.V1Form(secret: "bad"))).Dispose();

        var stats = await sim.Admin.GetStatsAsync(tenant.TenantId);
        Assert.Equal(2, stats.TokenRequests.Succeeded);
        Assert.Equal(1, stats.TokenRequests.Failed);
        Assert.Equal(new SimulatorClientTokenStats(2, 1), stats.TokenRequests.ByClient[TestSimulator.ClientId]);
        Assert.Equal(1, stats.TokenRequests.ByError["AADSTS7000215"]);
        Assert.Equal(0, (await sim.Admin.GetStatsAsync(other.TenantId)).TokenRequests.Succeeded);
    }

    [Fact]
    public async Task Revoked_secret_stops_working_and_a_new_secret_works()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var created = await sim.Admin.GetTenantAsync(tenant.TenantId);
        var oldKey = created!.Apps.Single().Secrets.Single().KeyId!.Value;

        await sim.Admin.AddSecretAsync(tenant.TenantId, TestSimulator.ClientId, "second-secret");
        await sim.Admin.RevokeSecretAsync(tenant.TenantId, TestSimulator.ClientId, oldKey);

        await AssertEntraErrorAsync(await sim.RequestTokenAsync(tenant.TenantId.ToString(), TestSimulator.V1Form()), 401, "invalid_client", 7000215);
        using var renewed = await sim.RequestTokenAsync(tenant.TenantId.ToString(), TestSimulator.V1Form(secret: "second-secret"));
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
    }

    [Fact]
    public async Task Client_secret_basic_authentication_is_accepted()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{tenant.TenantId}/oauth2/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["resource"] = TestSimulator.IncidentsResource,
            }),
        };
        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
            Uri.EscapeDataString(TestSimulator.ClientId) + ":" + Uri.EscapeDataString(TestSimulator.Secret)));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", basic);

        using var response = await sim.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    internal static async Task<JsonElement> AssertEntraErrorAsync(HttpResponseMessage response, int status, string error, int code)
    {
        using (response)
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal(error, body.GetProperty("error").GetString());
            Assert.Equal([code], body.GetProperty("error_codes").EnumerateArray().Select(e => e.GetInt32()));
            Assert.StartsWith($"AADSTS{code}: ", body.GetProperty("error_description").GetString());
            Assert.True(body.TryGetProperty("timestamp", out _));
            Assert.True(body.TryGetProperty("trace_id", out _));
            Assert.True(body.TryGetProperty("correlation_id", out _));
            return body;
        }
    }
}

internal static class TestSimulatorTokenExtensions
{
    public static Task<TenantSpec> AdminPutWithLifetimeAsync(this TestSimulator sim, TimeSpan lifetime) =>
        sim.Admin.PutTenantAsync(TenantSpec.Create(Guid.NewGuid(), TestSimulator.ClientId, TestSimulator.Secret, TestSimulator.Quiet()) with
        {
            TokenLifetime = lifetime,
        });
}
