using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Defender.ServiceDefaults.Telemetry;

/// <summary>A registered addition to the meter provider's builder (an extra reader or exporter, a view).</summary>
internal sealed record MeterProviderConfiguration(Action<IServiceProvider, MeterProviderBuilder> Configure);

/// <summary>A registered addition to the tracer provider's builder (an extra processor or exporter, a source).</summary>
internal sealed record TracerProviderConfiguration(Action<IServiceProvider, TracerProviderBuilder> Configure);
