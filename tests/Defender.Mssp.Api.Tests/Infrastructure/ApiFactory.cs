using System.Collections.Concurrent;
using Defender.Mssp.Api.Security;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.TestKit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Defender.Mssp.Api.Tests.Infrastructure;

/// <summary>
/// The real management API in memory (WebApplicationFactory) on real Azurite, in a container of its own, with one
/// Admin and one Reader API key, every log entry captured and every response recorded.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="services">Replaces services after the API registered its own (a clock, say).</param>
    public ApiFactory(AzuriteFixture azurite, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        _services = services;
        Azurite = azurite;
        ContainerName = AzuriteFixture.UniqueContainerName("api");
        SinkPath = Path.Combine(Path.GetTempPath(), "defender-api-tests", Guid.NewGuid().ToString("N"));
        TenantSinkRoot = Path.Combine(SinkPath, "tenant-sinks");
        _settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:Container"] = ContainerName,
            ["Sinks:JsonLines:Path"] = SinkPath,
            ["TenantSinks:FolderRoot"] = TenantSinkRoot,
            ["Api:Authentication:ApiKeys:0:Name"] = "ops-admin",
            ["Api:Authentication:ApiKeys:0:Role"] = ApiRoles.Admin,
            ["Api:Authentication:ApiKeys:0:Hash"] = ApiKeyHash.Compute(AdminKey),
            ["Api:Authentication:ApiKeys:1:Name"] = "soc-reader",
            ["Api:Authentication:ApiKeys:1:Role"] = ApiRoles.Reader,
            ["Api:Authentication:ApiKeys:1:Hash"] = ApiKeyHash.Compute(ReaderKey),
            ["Api:RateLimit:PermitLimit"] = "100000",
            ["Api:Purge:ReleaseTimeout"] = "00:00:02",
            ["Api:Purge:ReleaseCheckInterval"] = "00:00:00.100",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public AzuriteFixture Azurite { get; }

    public string ContainerName { get; }

    public string SinkPath { get; }

    /// <summary>Where tenants' own file sinks go (<c>TenantSinks:FolderRoot</c>), inside <see cref="SinkPath"/>.</summary>
    public string TenantSinkRoot { get; }

    public string AdminKey { get; } = ApiKeyHash.NewKey();

    public string ReaderKey { get; } = ApiKeyHash.NewKey();

    public CapturedLogs Logs { get; } = new();

    /// <summary>Every response any client of this factory received, as text.</summary>
    public ConcurrentQueue<string> Responses { get; } = new();

    public BlobContainerClient Container => Azurite.ServiceClient.GetBlobContainerClient(ContainerName);

    public HttpClient Anonymous() => CreateDefaultClient(new RecordingHandler(Responses));

    public HttpClient Admin() => WithKey(AdminKey);

    public HttpClient Reader() => WithKey(ReaderKey);

    public HttpClient WithKey(string key)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }

        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(SinkPath))
        {
            Directory.Delete(SinkPath, recursive: true);
        }
    }
}
