using Defender.Mssp.Grains;
using Defender.Mssp.Grains.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the tenant grains' metrics.</summary>
public static class TenantGrainMetricsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TenantGrainMetrics"/> as an <see cref="ITenantGrainObserver"/>, with
    /// <see cref="TenantMetricsOptions"/> bound from the <c>Telemetry</c> section (<c>PerTenantSeries</c>:
    /// <c>Auto</c>|<c>Always</c>|<c>Never</c>, <c>PerTenantSeriesMaxTenants</c>, default 100) and validated at start.
    /// </summary>
    public static IServiceCollection AddTenantGrainMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.AddOptions<TenantMetricsOptions>()
            .Bind(configuration.GetSection(TenantMetricsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TenantGrainMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITenantGrainObserver, TenantGrainMetrics>(
            provider => provider.GetRequiredService<TenantGrainMetrics>()));
        return services;
    }
}
