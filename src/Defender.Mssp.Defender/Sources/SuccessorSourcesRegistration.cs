using Defender.Mssp.Defender.Api;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.Tokens;
using Defender.Mssp.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Defender.Sources;

/// <summary>
/// Registers the successor sources (<see cref="AlertsSource"/>, <see cref="GraphAlertsSource"/>,
/// <see cref="GraphIncidentsSource"/>) and their <see cref="SuccessorSourceOptions"/>; part of <c>AddDefenderClients</c>.
/// </summary>
internal static class SuccessorSourcesRegistration
{
    private static readonly Func<IServiceProvider, IRecordSource> ResolveAlerts = sp => sp.GetRequiredService<AlertsSource>();

    private static readonly Func<IServiceProvider, IRecordSource> ResolveGraphAlerts = sp => sp.GetRequiredService<GraphAlertsSource>();

    private static readonly Func<IServiceProvider, IRecordSource> ResolveGraphIncidents = sp => sp.GetRequiredService<GraphIncidentsSource>();

    public static IServiceCollection AddSuccessorSources(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SuccessorSourceOptions>()
            .Bind(configuration.GetSection(SuccessorSourceOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(sp => new AlertsSource(
            sp.GetRequiredService<DefenderApiClient>(),
            sp.GetRequiredService<IAccessTokenProvider>(),
            sp.GetRequiredService<IOptions<DefenderEndpointsOptions>>(),
            sp.GetRequiredService<IOptions<DefenderClientOptions>>(),
            sp.GetRequiredService<IOptions<SuccessorSourceOptions>>(),
            sp.GetRequiredService<ILogger<AlertsSource>>()));
        services.TryAddSingleton(sp => new GraphAlertsSource(
            sp.GetRequiredService<DefenderApiClient>(),
            sp.GetRequiredService<IAccessTokenProvider>(),
            sp.GetRequiredService<IOptions<DefenderEndpointsOptions>>(),
            sp.GetRequiredService<IOptions<DefenderClientOptions>>(),
            sp.GetRequiredService<IOptions<SuccessorSourceOptions>>(),
            sp.GetRequiredService<ILogger<GraphAlertsSource>>()));
        services.TryAddSingleton(sp => new GraphIncidentsSource(
            sp.GetRequiredService<DefenderApiClient>(),
            sp.GetRequiredService<IAccessTokenProvider>(),
            sp.GetRequiredService<IOptions<DefenderEndpointsOptions>>(),
            sp.GetRequiredService<IOptions<DefenderClientOptions>>(),
            sp.GetRequiredService<IOptions<SuccessorSourceOptions>>(),
            sp.GetRequiredService<ILogger<GraphIncidentsSource>>()));

        // Registering twice (AddDefenderClients called again) must not list a source twice. The factories are fixed
        // delegate instances: a method group converted anew would be another delegate (and of another type) each time.
        if (!services.Any(d => d.ServiceType == typeof(IRecordSource) && ReferenceEquals(d.ImplementationFactory, ResolveAlerts)))
        {
            services.AddSingleton(ResolveAlerts);
            services.AddSingleton(ResolveGraphAlerts);
            services.AddSingleton(ResolveGraphIncidents);
        }

        return services;
    }
}
