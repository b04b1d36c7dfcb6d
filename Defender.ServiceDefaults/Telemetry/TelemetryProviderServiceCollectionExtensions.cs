using Defender.ServiceDefaults.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Additions to the providers <c>AddServiceDefaults()</c> builds — the role of OpenTelemetry.Extensions.Hosting's
/// <c>WithMetrics</c>/<c>WithTracing</c> callbacks, which cannot be restored here. The SDK's own
/// <c>ConfigureOpenTelemetry*Provider</c> registrations are only read by providers the hosting package builds, so they
/// do not reach these providers; use these instead.
/// </summary>
public static class TelemetryProviderServiceCollectionExtensions
{
    /// <summary>Runs <paramref name="configure"/> on the meter provider's builder before it is built.</summary>
    public static IServiceCollection ConfigureMeterProvider(
        this IServiceCollection services, Action<IServiceProvider, MeterProviderBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddSingleton(new MeterProviderConfiguration(configure));
    }

    /// <summary>Runs <paramref name="configure"/> on the tracer provider's builder before it is built.</summary>
    public static IServiceCollection ConfigureTracerProvider(
        this IServiceCollection services, Action<IServiceProvider, TracerProviderBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddSingleton(new TracerProviderConfiguration(configure));
    }
}
