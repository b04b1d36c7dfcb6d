using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Silo.Hosting;
using Defender.Mssp.Sinks;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers tenants' sinks as the management API stores them.</summary>
public static class TenantSinkOverridesServiceCollectionExtensions
{
    /// <summary>
    /// Makes the sinks stored with each tenant's settings the <see cref="ITenantSinkOverrides"/> (configuration's
    /// <c>Sinks:Tenants</c> still serving tenants whose settings have none), whether <c>AddRecordSinks</c> was called
    /// before or after (it only adds its own when none is registered). Decorates the <see cref="ITenantCatalog"/>
    /// registered before this call so that every read of it records the tenants' sinks.
    /// </summary>
    public static IServiceCollection AddStoredTenantSinkOverrides(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TenantSinkFolderOptions>()
            .Bind(configuration.GetSection(TenantSinkFolderOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<TenantSinkDirectory>();
        services.RemoveAll<ITenantSinkOverrides>();
        services.AddSingleton<ITenantSinkOverrides, StoredTenantSinkOverrides>();

        var catalog = services.LastOrDefault(descriptor => descriptor.ServiceType == typeof(ITenantCatalog))
            ?? throw new InvalidOperationException("Register the tenant catalogue before the stored tenant sinks.");
        services.RemoveAll<ITenantCatalog>();
        services.AddSingleton<ITenantCatalog>(provider => new SinkObservingTenantCatalog(
            (ITenantCatalog)(catalog.ImplementationFactory?.Invoke(provider) ?? catalog.ImplementationInstance
                ?? ActivatorUtilities.CreateInstance(provider, catalog.ImplementationType!)),
            provider.GetRequiredService<TenantSinkDirectory>()));
        return services;
    }
}
