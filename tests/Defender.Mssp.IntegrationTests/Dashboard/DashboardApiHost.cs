using System.Collections.Concurrent;
using System.Net;
using Defender.Mssp.Api.Security;
using Defender.Mssp.Api.Tenants;
using Defender.Mssp.IntegrationTests.Infrastructure;
using Defender.Mssp.TestKit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Defender.Mssp.IntegrationTests.Dashboard;

/// <summary>
/// The real management API in this process on Kestrel at a loopback port, since a browser needs a real socket (the
/// in-memory test server has none). Same storage settings as the test's silos, an Admin and a Reader key; warnings
/// and errors it logs are kept for failure messages.
/// </summary>
public sealed class DashboardApiHost : WebApplicationFactory<TenantWriter>
{
    private readonly Dictionary<string, string> _settings;
    private readonly ConcurrentQueue<string> _problems = new();

    public DashboardApiHost(AzuriteFixture azurite, string container, string sinkFolder, IReadOnlyDictionary<string, string> settings)
    {
        _settings = new Dictionary<string, string>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:Container"] = container,
            ["Sinks:JsonLines:Path"] = sinkFolder,
            ["Api:Authentication:ApiKeys:0:Name"] = "ops-admin",
            ["Api:Authentication:ApiKeys:0:Role"] = ApiRoles.Admin,
            ["Api:Authentication:ApiKeys:0:Hash"] = ApiKeyHash.Compute(AdminKey),
            ["Api:Authentication:ApiKeys:1:Name"] = "soc-reader",
            ["Api:Authentication:ApiKeys:1:Role"] = ApiRoles.Reader,
            ["Api:Authentication:ApiKeys:1:Hash"] = ApiKeyHash.Compute(ReaderKey),
            ["Api:Tenants:MinPollInterval"] = "00:00:01",
            ["Api:RateLimit:PermitLimit"] = "100000",
        };
        foreach (var (key, value) in SiloEnvironment.ClusterTimings.Concat(settings))
        {
            _settings[key] = value;
        }

        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    public string AdminKey { get; } = ApiKeyHash.NewKey();

    public string ReaderKey { get; } = ApiKeyHash.NewKey();

    /// <summary>Where Kestrel listens, e.g. http://127.0.0.1:41234/; set by <see cref="Start"/>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What the API logged at warning level or above.</summary>
    public string Problems => string.Join('\n', _problems);

    public void Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.Single().Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    public HttpClient Client(string apiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, apiKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(new ProblemLog(_problems)));
    }

    private sealed class ProblemLog(ConcurrentQueue<string> problems) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                problems.Enqueue($"{logLevel}: {formatter(state, exception)} {exception?.Message}");
            }
        }

        public void Dispose()
        {
        }
    }
}
