using Defender.Mssp.Api.Security;
using Defender.Mssp.Api.Tenants;
using Defender.Mssp.TestKit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Defender.Mssp.IntegrationTests.Infrastructure;

/// <summary>
/// The real management API in this process (WebApplicationFactory), on the same Azurite container and sink folder as
/// the test's silos, with an Admin API key. Typed by one of the API's public classes, since both the API and the
/// simulator this project references have a <c>Program</c>.
/// </summary>
public sealed class ApiHost : WebApplicationFactory<TenantWriter>
{
    private readonly Dictionary<string, string> _settings;

    public ApiHost(AzuriteFixture azurite, string container, string sinkFolder)
    {
        _settings = new Dictionary<string, string>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:Container"] = container,
            ["Sinks:JsonLines:Path"] = sinkFolder,
            ["Api:Authentication:ApiKeys:0:Name"] = "e2e-admin",
            ["Api:Authentication:ApiKeys:0:Role"] = ApiRoles.Admin,
            ["Api:Authentication:ApiKeys:0:Hash"] = ApiKeyHash.Compute(AdminKey),
            ["Api:Tenants:MinPollInterval"] = "00:00:01",
            ["Api:RateLimit:PermitLimit"] = "100000",
        };
        foreach (var (key, value) in SiloEnvironment.ClusterTimings)
        {
            _settings[key] = value;
        }
    }

    public string AdminKey { get; } = ApiKeyHash.NewKey();

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, AdminKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.ClearProviders());
    }
}
