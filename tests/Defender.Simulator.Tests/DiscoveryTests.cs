using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Defender.Simulator.Tests;

public sealed class DiscoveryTests
{
    [Fact]
    public async Task Openid_configuration_points_at_the_simulator_for_v1_and_v2()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var root = sim.Host.BaseAddress.ToString().TrimEnd('/');

        var v2 = await sim.Http.GetFromJsonAsync<JsonElement>($"{tenant.TenantId}/v2.0/.well-known/openid-configuration");
        var v1 = await sim.Http.GetFromJsonAsync<JsonElement>($"{tenant.TenantId}/.well-known/openid-configuration");

        Assert.Equal($"{root}/{tenant.TenantId}/v2.0", v2.GetProperty("issuer").GetString());
        Assert.Equal($"{root}/{tenant.TenantId}/oauth2/v2.0/token", v2.GetProperty("token_endpoint").GetString());
        Assert.Equal($"{root}/{tenant.TenantId}/oauth2/v2.0/authorize", v2.GetProperty("authorization_endpoint").GetString());
        Assert.Equal($"{root}/{tenant.TenantId}/oauth2/token", v1.GetProperty("token_endpoint").GetString());
    }

    [Fact]
    public async Task Openid_configuration_of_an_unknown_tenant_is_AADSTS90002()
    {
        await using var sim = await TestSimulator.StartAsync();

        var response = await sim.Http.GetAsync($"{Guid.NewGuid()}/v2.0/.well-known/openid-configuration");

        await TokenEndpointTests.AssertEntraErrorAsync(response, 400, "invalid_request", 90002);
    }

    [Fact]
    public async Task Instance_discovery_names_this_host_as_its_only_alias()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var root = sim.Host.BaseAddress.ToString().TrimEnd('/');
        var authorize = Uri.EscapeDataString($"{root}/{tenant.TenantId}/oauth2/v2.0/authorize");

        var body = await sim.Http.GetFromJsonAsync<JsonElement>($"common/discovery/instance?api-version=1.1&authorization_endpoint={authorize}");

        Assert.Equal($"{root}/{tenant.TenantId}/v2.0/.well-known/openid-configuration", body.GetProperty("tenant_discovery_endpoint").GetString());
        Assert.Equal("1.1", body.GetProperty("api-version").GetString());
        var metadata = Assert.Single(body.GetProperty("metadata").EnumerateArray());
        Assert.Equal("127.0.0.1", metadata.GetProperty("preferred_network").GetString());
        Assert.Equal("127.0.0.1", metadata.GetProperty("preferred_cache").GetString());
        Assert.Equal(["127.0.0.1"], metadata.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Instance_discovery_of_another_host_is_an_invalid_instance()
    {
        await using var sim = await TestSimulator.StartAsync();

        var response = await sim.Http.GetAsync(
            "common/discovery/instance?api-version=1.1&authorization_endpoint=" + Uri.EscapeDataString("https://login.example.com/common/oauth2/v2.0/authorize"));

        await TokenEndpointTests.AssertEntraErrorAsync(response, 400, "invalid_instance", 50049);
    }

    [Fact]
    public async Task Admin_api_refuses_invalid_tenant_definitions()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var response = await sim.Http.PutAsJsonAsync($"simulator/tenants/{Guid.NewGuid()}", new
        {
            apps = new[] { new { clientId = "", secrets = Array.Empty<object>() } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
