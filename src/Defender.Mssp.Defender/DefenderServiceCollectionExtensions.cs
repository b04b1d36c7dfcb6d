using Defender.Mssp.Defender.Api;
using Defender.Mssp.Defender.Api.Budgets;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.DeadLetters;
using Defender.Mssp.Defender.Http;
using Defender.Mssp.Defender.Sources;
using Defender.Mssp.Defender.Telemetry;
using Defender.Mssp.Defender.Tokens;
using Defender.Mssp.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace Defender.Mssp.Defender;

/// <summary>Registers the Defender token provider and record sources.</summary>
public static class DefenderServiceCollectionExtensions
{
    /// <summary>
    /// Registers options (sections <c>Defender</c>, <c>Defender:Http</c> with its <c>Proxy</c>, <c>Defender:Tokens</c>,
    /// <c>Defender:Retry</c>, <c>Defender:Budgets</c>, validated on start), the request budgets, the shared HTTP
    /// handler, the named HttpClients
    /// (<see cref="DefenderHttpClientNames"/>), <see cref="IAccessTokenProvider"/> (MSAL), the
    /// <see cref="IRecordSource"/>s (<see cref="IncidentsSource"/>, <see cref="SiemSource"/>, and the successors
    /// <see cref="AlertsSource"/>, <see cref="GraphAlertsSource"/>, <see cref="GraphIncidentsSource"/> with
    /// <see cref="SuccessorSourceOptions"/>), the clients' metrics
    /// (<see cref="DefenderClientMetrics"/>), and the dead-letter sink for poison records (<see cref="IDeadLetterSink"/>,
    /// <see cref="FileDeadLetterSink"/> by default, section <c>Defender:DeadLetter</c>).
    /// </summary>
    /// <param name="configuration">The configuration root (the one holding the <c>Defender</c> section).</param>
    public static IServiceCollection AddDefenderClients(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<DefenderEndpointsOptions>()
            .Bind(configuration.GetSection(DefenderEndpointsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DefenderEndpointsOptions>, DefenderEndpointsOptionsValidator>());
        services.AddOptions<DefenderClientOptions>()
            .Bind(configuration.GetSection(DefenderClientOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DefenderRetryOptions>()
            .Bind(configuration.GetSection(DefenderRetryOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DefenderTokenOptions>()
            .Bind(configuration.GetSection(DefenderTokenOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DefenderHttpOptions>()
            .Bind(configuration.GetSection(DefenderHttpOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DefenderHttpOptions>, DefenderHttpOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DefenderHttpOptions>, DefenderProxyOptionsValidator>());
        services.AddRequestBudgets(configuration);

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<DefenderClientMetrics>();
        services.AddOptions<DefenderTelemetryOptions>()
            .Bind(configuration.GetSection(DefenderTelemetryOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ClientCertificateMetrics>();
        services.TryAddSingleton<DefenderHttpHandlerFactory>();
        AddHttpClient(services, DefenderHttpClientNames.Api);
        AddHttpClient(services, DefenderHttpClientNames.Token);

        services.TryAddSingleton<IMsalHttpClientFactory, DefenderMsalHttpClientFactory>();
        services.TryAddSingleton<ITenantCredentialResolver, TenantCredentialResolver>();
        services.TryAddSingleton<IAccessTokenProvider, MsalAccessTokenProvider>();

        AddDeadLetters(services, configuration);
        services.TryAddSingleton<DefenderApiClient>();
        services.TryAddSingleton(sp => new IncidentsSource(
            sp.GetRequiredService<DefenderApiClient>(),
            sp.GetRequiredService<IAccessTokenProvider>(),
            sp.GetRequiredService<IOptions<DefenderEndpointsOptions>>(),
            sp.GetRequiredService<IOptions<DefenderClientOptions>>(),
            sp.GetRequiredService<ILogger<IncidentsSource>>()));
        services.TryAddSingleton(sp => new SiemSource(
            sp.GetRequiredService<DefenderApiClient>(),
            sp.GetRequiredService<IAccessTokenProvider>(),
            sp.GetRequiredService<IOptions<DefenderEndpointsOptions>>(),
            sp.GetRequiredService<IOptions<DefenderClientOptions>>(),
            sp.GetRequiredService<ILogger<SiemSource>>()));
        if (!services.Any(d => d.ServiceType == typeof(IRecordSource) && d.ImplementationFactory == ResolveIncidents))
        {
            services.AddSingleton<IRecordSource>(ResolveIncidents);
            services.AddSingleton<IRecordSource>(ResolveSiem);
        }

        services.AddSuccessorSources(configuration);
        return services;
    }

    private static void AddDeadLetters(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeadLetterOptions>()
            .Bind(configuration.GetSection(DeadLetterOptions.SectionName))
            .PostConfigure(options =>
            {
                // Next to the JSON Lines sink's folder when there is one: the operator finds both in one place.
                if (string.IsNullOrWhiteSpace(options.Path) && configuration["Sinks:JsonLines:Path"] is { Length: > 0 } sink)
                {
                    var parent = Path.GetDirectoryName(Path.GetFullPath(sink.TrimEnd('/', '\\')));
                    options.Path = Path.Combine(parent ?? ".", DeadLetterOptions.DefaultFolderName);
                }
            })
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IDeadLetterSink, FileDeadLetterSink>();
        services.TryAddSingleton<DeadLetterWriter>();
    }

    private static IRecordSource ResolveIncidents(IServiceProvider services) => services.GetRequiredService<IncidentsSource>();

    private static IRecordSource ResolveSiem(IServiceProvider services) => services.GetRequiredService<SiemSource>();

    private static void AddHttpClient(IServiceCollection services, string name) =>
        services.AddHttpClient(name)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<DefenderHttpHandlerFactory>().CreateHandler())
            // SocketsHttpHandler recycles its own connections (PooledConnectionLifetime); rotating handlers adds nothing.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .ConfigureHttpClient((sp, client) =>
                client.Timeout = sp.GetRequiredService<IOptions<DefenderHttpOptions>>().Value.RequestTimeout)
            // Bearer tokens must never reach a log line, whatever the logging level.
            .RedactLoggedHeaders(_ => true);
}
