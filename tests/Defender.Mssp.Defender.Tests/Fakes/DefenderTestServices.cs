using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.DeadLetters;
using Defender.Mssp.Defender.Http;
using Defender.Mssp.Defender.Sources;
using Defender.Mssp.Defender.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Defender.Mssp.Defender.Tests.Fakes;

/// <summary>
/// The real <c>AddDefenderClients</c> registration with the network replaced at the HttpMessageHandler level, a fake
/// token provider and a clock that never sleeps.
/// </summary>
internal sealed class DefenderTestServices : IDisposable
{
    public const string ApiBase = "https://defender.test";

    private readonly ServiceProvider _provider;

    public DefenderTestServices(
        Func<HttpRequestMessage, Task<HttpResponseMessage>> respond, IDictionary<string, string?>? settings = null)
    {
        Handler = new RecordingHandler(respond);
        Time = new ManualTimeProvider();
        Tokens = new FakeTokenProvider(Time);
        var values = new Dictionary<string, string?>(DefenderEndpointsConfiguration.AllAt(new Uri(ApiBase)))
        {
            ["Defender:SiloId"] = "silo-a",
            ["Defender:Retry:TransientMaxRetries"] = "3",
            ["Defender:Retry:ThrottleMaxRetries"] = "2",
            ["Defender:Retry:ThrottleMaxWait"] = "00:01:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddDefenderClients(configuration);
        services.AddHttpClient(DefenderHttpClientNames.Api).ConfigurePrimaryHttpMessageHandler(() => Handler);
        services.Replace(ServiceDescriptor.Singleton<IAccessTokenProvider>(Tokens));
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
        services.Replace(ServiceDescriptor.Singleton<IDeadLetterSink>(DeadLetters));
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public DefenderTestServices(Func<HttpRequestMessage, HttpResponseMessage> respond, IDictionary<string, string?>? settings = null)
        : this(request => Task.FromResult(respond(request)), settings)
    {
    }

    public RecordingHandler Handler { get; }

    public FakeTokenProvider Tokens { get; }

    public ManualTimeProvider Time { get; }

    public MemoryDeadLetterSink DeadLetters { get; } = new();

    public IServiceProvider Services => _provider;

    public IncidentsSource Incidents => _provider.GetRequiredService<IncidentsSource>();

    public SiemSource Siem => _provider.GetRequiredService<SiemSource>();

    public void Dispose() => _provider.Dispose();
}
