using Microsoft.Extensions.Configuration;

namespace Defender.ServiceDefaults.Telemetry;

/// <summary>
/// Whether telemetry leaves the process over OTLP. Only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (environment,
/// command line or any other configuration source), as Aspire's service defaults do: without a collector, an exporter
/// aimed at the default endpoint would only fail quietly and cost a retry loop per signal.
/// </summary>
public static class OtlpExport
{
    /// <summary>The standard variable naming the collector; the exporter reads the other <c>OTEL_EXPORTER_OTLP_*</c> keys itself.</summary>
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[EndpointKey]);
}
