using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Defender.ServiceDefaults.Telemetry;

/// <summary>
/// The process's <see cref="MeterProvider"/> and <see cref="TracerProvider"/>, built with the SDK's own builders
/// because OpenTelemetry.Extensions.Hosting (which would build them from the host's container) cannot be restored.
/// A DI singleton: the container disposes it when the host is disposed, which flushes and shuts both down.
/// </summary>
/// <remarks>
/// Additions registered with <c>services.ConfigureMeterProvider(...)</c> / <c>ConfigureTracerProvider(...)</c> (an
/// extra exporter, a test's collecting reader) are applied before the builders build. The host's configuration is
/// handed to the builders, so the OTLP exporter reads its <c>OTEL_EXPORTER_OTLP_*</c> keys from every configuration
/// source, not just the environment.
/// </remarks>
internal sealed class OpenTelemetryProviders : IDisposable
{
    public OpenTelemetryProviders(IServiceProvider services, IConfiguration configuration, TelemetryResource resource)
    {
        var exportOtlp = OtlpExport.IsConfigured(configuration);
        OtlpExporterEnabled = exportOtlp;

        var meters = Sdk.CreateMeterProviderBuilder()
            .ConfigureServices(collection => collection.AddSingleton(configuration))
            .ConfigureResource(builder => resource.Configure(builder))
            .AddMeter(TelemetrySources.Product)
            .AddMeter([.. TelemetrySources.FrameworkMeters]);
        if (exportOtlp)
        {
            meters.AddOtlpExporter();
        }

        foreach (var addition in services.GetServices<MeterProviderConfiguration>())
        {
            addition.Configure(services, meters);
        }

        var traces = Sdk.CreateTracerProviderBuilder()
            .ConfigureServices(collection => collection.AddSingleton(configuration))
            .ConfigureResource(builder => resource.Configure(builder))
            .AddSource(TelemetrySources.Product)
            .AddSource([.. TelemetrySources.FrameworkActivitySources]);
        if (exportOtlp)
        {
            traces.AddOtlpExporter();
        }

        foreach (var addition in services.GetServices<TracerProviderConfiguration>())
        {
            addition.Configure(services, traces);
        }

        MeterProvider = meters.Build();
        TracerProvider = traces.Build();
    }

    public MeterProvider MeterProvider { get; }

    public TracerProvider TracerProvider { get; }

    /// <summary>Whether metrics and traces (and logs, decided the same way) are exported over OTLP.</summary>
    public bool OtlpExporterEnabled { get; }

    /// <summary>Exports what is buffered now, within <paramref name="timeout"/> for each provider.</summary>
    public void ForceFlush(TimeSpan timeout)
    {
        var milliseconds = (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue);
        TracerProvider.ForceFlush(milliseconds);
        MeterProvider.ForceFlush(milliseconds);
    }

    public void Dispose()
    {
        TracerProvider.Dispose();
        MeterProvider.Dispose();
    }
}
