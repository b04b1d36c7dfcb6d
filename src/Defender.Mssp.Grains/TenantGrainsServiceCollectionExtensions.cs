using Defender.Mssp.Grains;
using Defender.Mssp.Grains.Polling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers what tenant grains need from the container.</summary>
public static class TenantGrainsServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="PollingOptions"/> from the <c>Polling</c> section and registers
    /// <see cref="TenantGrainServices"/> and the grain metrics (<c>AddTenantGrainMetrics</c>). The host registers the
    /// <c>IRecordSource</c>s, an <c>IRecordSink</c> and any further <see cref="ITenantGrainObserver"/>s.
    /// </summary>
    public static IServiceCollection AddTenantGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PollingOptions>()
            .Bind(configuration.GetSection(PollingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TenantGrainServices>();
        services.AddTenantGrainMetrics(configuration);
        return services;
    }
}
