using Defender.Mssp.Runtime.Storage;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.Runtime.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Runtime.Cluster;

/// <summary>Registers this process as a member of the silo cluster.</summary>
public static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ClusterMember"/> as a hosted service, with <see cref="ClusterOptions"/> from the
    /// <c>Cluster</c> section (validated at start) and the blob storage of <c>Storage</c> (state blobs under
    /// <c>Storage:StatePrefix</c>, shared with the grain storage). The host must also register an
    /// <see cref="ITenantCatalog"/> and an <see cref="IGrainActivator"/>. The host's shutdown timeout is raised, if
    /// needed, to leave time for a graceful hand-over. Lease and grain counts go to <see cref="ClusterMetrics"/>.
    /// </summary>
    public static IServiceCollection AddSiloCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBlobGrainStorage(configuration);
        services.AddOptions<ClusterOptions>()
            .Bind(configuration.GetSection(ClusterOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddClusterMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ClusterMember(
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value,
            sp.GetRequiredService<BlobContainerClient>(),
            sp.GetRequiredService<IOptions<BlobGrainStorageOptions>>().Value.StatePrefix,
            sp.GetRequiredService<ITenantCatalog>(),
            sp.GetRequiredService<IGrainActivator>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            metrics: sp.GetRequiredService<ClusterMetrics>()));
        services.AddHostedService(sp => sp.GetRequiredService<ClusterMember>());
        services.AddOptions<HostOptions>().PostConfigure<IOptions<ClusterOptions>>((host, cluster) =>
        {
            // Stopping every activation (bounded by ActivationStopTimeout) and releasing its lease must fit.
            var needed = cluster.Value.ActivationStopTimeout + cluster.Value.LeaseRenewalPeriod;
            if (host.ShutdownTimeout < needed)
            {
                host.ShutdownTimeout = needed;
            }
        });
        return services;
    }
}
