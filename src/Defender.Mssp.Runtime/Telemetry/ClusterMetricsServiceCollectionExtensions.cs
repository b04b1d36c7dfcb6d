using Defender.Mssp.Runtime.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the cluster's metrics.</summary>
public static class ClusterMetricsServiceCollectionExtensions
{
    /// <summary>Registers <see cref="ClusterMetrics"/> as a singleton (and the meter factory it needs).</summary>
    public static IServiceCollection AddClusterMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<ClusterMetrics>();
        return services;
    }
}
