using Defender.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;

namespace Microsoft.Extensions.Hosting;

/// <summary>OpenTelemetry logs, metrics and traces for a Defender.Mssp process.</summary>
public static class OpenTelemetryExtensions
{
    /// <summary>
    /// Logs through OpenTelemetry's logger provider (formatted message and scopes included); metrics from the
    /// <c>Defender.Mssp</c> meter and the framework's meters (<see cref="TelemetrySources.FrameworkMeters"/>); traces
    /// from the <c>Defender.Mssp</c> activity source and the framework's (<see cref="TelemetrySources.FrameworkActivitySources"/>).
    /// All three are exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is configured (<see cref="OtlpExport"/>);
    /// protocol, headers and per-signal endpoints follow the standard <c>OTEL_EXPORTER_OTLP_*</c> keys. In a web app,
    /// request spans get the HTTP attributes and a route name, and health probes are not traced.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var resource = new TelemetryResource(builder.Configuration, builder.Environment);
        var exportOtlp = OtlpExport.IsConfigured(builder.Configuration);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            logging.SetResourceBuilder(resource.Configure(ResourceBuilder.CreateDefault()));
            if (exportOtlp)
            {
                logging.AddOtlpExporter();
            }
        });

        // The product's libraries create the Defender.Mssp meter through IMeterFactory.
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton(resource);
        builder.Services.TryAddSingleton<OpenTelemetryProviders>();
        // Registered before the product's hosted services, so it starts first and stops (flushing) last.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OpenTelemetryLifetime>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, ServerSpanStartupFilter>());
        return builder;
    }
}
